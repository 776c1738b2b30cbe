// Fallback peer: PostGraphile v4 (library mode) on the system Node, used by bench/run only when
// v5 cannot run. Same fairness rules as ../pg5/graphile.config.mjs: connects as the runtime role,
// verifies OUR token (HS256, iss hrms-gateway, aud hrms-api) and maps organization_id to the
// transaction-local app.current_organization_id; no role switch. Library mode rather than the CLI
// because the CLI's --jwt-secret would set `role` from our `role` claim ("ADMIN" is no database role)
// and would name the setting jwt.claims.organization_id, which our policies do not read.
//
// Env: DATABASE_URL, JWT_SECRET (required), PORT (5001), POOL (10).
const http = require("http");
const { postgraphile } = require("postgraphile");
const PgSimplifyInflectorPlugin = require("@graphile-contrib/pg-simplify-inflector");
const jwt = require("jsonwebtoken");

const secret = process.env.JWT_SECRET;
if (!secret) throw new Error("JWT_SECRET is required");
const VERIFY = { algorithms: ["HS256"], audience: "hrms-api", issuer: "hrms-gateway" };

const middleware = postgraphile(
  {
    connectionString:
      process.env.DATABASE_URL || "postgres://hrms_bench_app:hrms_bench_app@127.0.0.1:5432/hrms_bench",
    max: Number(process.env.POOL || 10),
  },
  "public",
  {
    appendPlugins: [PgSimplifyInflectorPlugin],
    graphiql: false,
    disableQueryLog: true,
    dynamicJson: true,
    setofFunctionsContainNulls: false,
    ignoreRBAC: true,
    // A bad token throws here; v4 answers it as an error response.
    async pgSettings(req) {
      const auth = req.headers.authorization;
      if (typeof auth !== "string" || !auth.toLowerCase().startsWith("bearer ")) return {};
      const claims = jwt.verify(auth.slice(7).trim(), secret, VERIFY);
      return claims.organization_id ? { "app.current_organization_id": String(claims.organization_id) } : {};
    },
  },
);

http.createServer(middleware).listen(Number(process.env.PORT || 5001), "127.0.0.1", () =>
  console.log(`PostGraphile v4 listening on 127.0.0.1:${process.env.PORT || 5001}`));
