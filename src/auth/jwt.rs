//! Access tokens: HS256 JWTs. Decoding allows only HS256 and checks the
//! signature, `exp`, `nbf`, `iss` and `aud`, with no leeway (jsonwebtoken's
//! defaults leave `nbf` unchecked and allow 60 s).

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{config::JwtConfig, entity::enums::Role};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub organization_id: String,
    pub organization_slug: String,
    pub role: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl_secs: i64,
}

impl JwtKeys {
    pub fn new(cfg: &JwtConfig) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = 0;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.validate_aud = true;
        validation.set_issuer(&[&cfg.issuer]);
        validation.set_audience(&[&cfg.audience]);
        validation.set_required_spec_claims(&["sub", "exp", "nbf", "iat", "iss", "aud"]);
        JwtKeys {
            encoding: EncodingKey::from_secret(cfg.secret.expose().as_bytes()),
            decoding: DecodingKey::from_secret(cfg.secret.expose().as_bytes()),
            validation,
            issuer: cfg.issuer.clone(),
            audience: cfg.audience.clone(),
            ttl_secs: cfg.access_ttl.as_secs() as i64,
        }
    }

    /// Issue an access token; returns it with its expiry (unix seconds).
    pub fn issue(&self, user: Uuid, org: Uuid, org_slug: &str, role: Role) -> anyhow::Result<(String, i64)> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user.to_string(),
            organization_id: org.to_string(),
            organization_slug: org_slug.to_string(),
            role: role_name(role).to_string(),
            iat: now,
            nbf: now,
            exp: now + self.ttl_secs,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, claims.exp))
    }

    /// Verify a token; any failure is just "invalid".
    pub fn verify(&self, token: &str) -> Option<Claims> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|d| d.claims)
    }

    /// Sign arbitrary claims with the server's key. Used by tests to build
    /// tokens that are validly signed but wrong in one claim.
    pub fn sign(&self, claims: &Claims) -> anyhow::Result<String> {
        Ok(encode(&Header::new(Algorithm::HS256), claims, &self.encoding)?)
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn audience(&self) -> &str {
        &self.audience
    }
}

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "ADMIN",
        Role::Hr => "HR",
        Role::Manager => "MANAGER",
        Role::Employee => "EMPLOYEE",
    }
}
