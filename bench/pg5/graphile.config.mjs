// PostGraphile v5 over the hrms-gateway database, for bench/run.
//
// Fairness rules (so the two servers do the same work under the same security):
// * it connects as the SAME runtime role as our server (hrms_bench_app: not a superuser, no
//   BYPASSRLS, owns nothing), so the FORCE'd row-level security policies bind it too;
// * it verifies OUR access token (HS256, same secret, iss "hrms-gateway", aud "hrms-api", exp/nbf)
//   and maps the organization_id claim to the transaction-local setting our policies read,
//   app.current_organization_id — exactly what our server does with set_config(.., true).
//   No role switch: hrms_bench_app already is the least-privileged role.
// * no token -> no setting -> the policies return no rows (same as our server's database layer;
//   our server answers UNAUTHENTICATED before reaching the database).
//
// Env: DATABASE_URL, JWT_SECRET (required), PORT (5001), POOL (10, our server's pool is 10 too).
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import jwt from "jsonwebtoken";

const secret = process.env.JWT_SECRET;
if (!secret) throw new Error("JWT_SECRET is required (the same value as our server's HRMS_JWT_SECRET)");

const VERIFY = { algorithms: ["HS256"], audience: "hrms-api", issuer: "hrms-gateway", clockTolerance: 0 };

function verify(token) {
  return new Promise((resolve, reject) =>
    jwt.verify(token, secret, VERIFY, (err, claims) =>
      err ? reject(Object.assign(new Error(`invalid token: ${err.message}`), { statusCode: 401 })) : resolve(claims)));
}

/** @type {GraphileConfig.Preset} */
export default {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL || "postgres://hrms_bench_app:hrms_bench_app@127.0.0.1:5432/hrms_bench",
      schemas: ["public"],
      poolConfig: { max: Number(process.env.POOL || 10) },
    }),
  ],
  grafserv: { host: "127.0.0.1", port: Number(process.env.PORT || 5001), graphiql: false, watch: false },
  grafast: {
    explain: false,
    async context(requestContext) {
      const pgSettings = {};
      const auth = requestContext?.node?.req?.headers?.authorization;
      if (typeof auth === "string" && auth.toLowerCase().startsWith("bearer ")) {
        const claims = await verify(auth.slice(7).trim());
        if (typeof claims.organization_id === "string" && claims.organization_id) {
          pgSettings["app.current_organization_id"] = claims.organization_id;
        }
      }
      return { pgSettings };
    },
  },
};
