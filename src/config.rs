//! Typed configuration: defaults, then `HRMS_*` environment variables and
//! command-line flags (clap reads both). Secrets are wrapped so they never
//! appear in logs or `Debug` output.

use std::{fmt, net::SocketAddr, path::Path, time::Duration};

use anyhow::{Context, bail};

/// Where the server runs: development defaults are convenient and loud;
/// production refuses them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Env {
    Dev,
    Production,
}

/// A string that is never printed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Clone, Debug)]
pub struct JwtConfig {
    /// HS256 key.
    pub secret: Secret,
    /// `iss` written into and required from every access token.
    pub issuer: String,
    /// `aud` written into and required from every access token.
    pub audience: String,
    /// Lifetime of an access token (short: they cannot be revoked).
    pub access_ttl: Duration,
    /// Lifetime of a refresh token (revocable, rotated on use).
    pub refresh_ttl: Duration,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub env: Env,
    /// The runtime connection (on PostgreSQL: the non-owner role).
    pub database_url: String,
    /// PostgreSQL only: the owner's connection, used to migrate and to grant
    /// the runtime role before serving. Without it the server expects an
    /// already migrated database.
    pub migration_database_url: Option<String>,
    pub listen: SocketAddr,
    pub jwt: JwtConfig,
    /// How long a user's and organization's status may be served from
    /// memory. Changes made through this server invalidate it at once.
    pub status_cache_ttl: Duration,
    /// Maximum query depth.
    pub max_depth: usize,
    /// Maximum query complexity.
    pub max_complexity: usize,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://hrms.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Where the generated development JWT secret is kept (git-ignored).
pub const DEV_SECRET_FILE: &str = ".hrms-dev-secret";

impl Config {
    /// Defaults for everything but the three values a deployment sets.
    pub fn new(env: Env, database_url: String, listen: SocketAddr, jwt_secret: Secret) -> Self {
        Config {
            env,
            database_url,
            migration_database_url: None,
            listen,
            jwt: JwtConfig {
                secret: jwt_secret,
                issuer: "hrms-gateway".into(),
                audience: "hrms-api".into(),
                access_ttl: Duration::from_secs(15 * 60),
                refresh_ttl: Duration::from_secs(30 * 24 * 3600),
            },
            status_cache_ttl: Duration::from_secs(5),
            max_depth: 12,
            max_complexity: 2000,
        }
    }
}

/// The JWT secret: `HRMS_JWT_SECRET` when given; in production it is
/// required; in development a random one is made once and kept in
/// [`DEV_SECRET_FILE`], with a loud warning.
pub fn resolve_jwt_secret(env: Env, given: Option<String>) -> anyhow::Result<Secret> {
    if let Some(s) = given.filter(|s| !s.is_empty()) {
        if env == Env::Production && s.len() < 32 {
            bail!("HRMS_JWT_SECRET must be at least 32 characters in production");
        }
        return Ok(Secret::new(s));
    }
    if env == Env::Production {
        bail!("HRMS_JWT_SECRET is required with --env production");
    }
    let path = Path::new(DEV_SECRET_FILE);
    let secret = match std::fs::read_to_string(path) {
        Ok(s) if s.trim().len() >= 32 => s.trim().to_string(),
        _ => {
            let s = crate::auth::random_token(48);
            std::fs::write(path, &s).with_context(|| format!("writing {DEV_SECRET_FILE}"))?;
            s
        }
    };
    tracing::warn!(
        "DEV MODE: HRMS_JWT_SECRET is not set; using a development secret kept in {}. \
         Never run like this in production (--env production requires HRMS_JWT_SECRET).",
        path.display()
    );
    Ok(Secret::new(secret))
}
