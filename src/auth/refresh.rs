//! Refresh tokens: `<organization uuid>.<token uuid>.<secret>`. Only a
//! SHA-256 hash of the secret is stored. The organization part lets the
//! server look the token up inside that organization's scope (so the lookup
//! also works under row-level security); the hash comparison is what proves
//! the token.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// `n` random bytes, base64url-encoded.
pub fn random_token(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub struct NewRefresh {
    pub id: Uuid,
    /// What the client receives.
    pub token: String,
    /// What the database keeps.
    pub hash: String,
}

pub fn new_refresh(org: Uuid) -> NewRefresh {
    let id = Uuid::now_v7();
    let secret = random_token(32);
    NewRefresh {
        id,
        token: format!("{}.{}.{}", org.simple(), id.simple(), secret),
        hash: hash_secret(&secret),
    }
}

pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub struct ParsedRefresh {
    pub org: Uuid,
    pub id: Uuid,
    pub secret: String,
}

pub fn parse_refresh(token: &str) -> Option<ParsedRefresh> {
    let mut parts = token.trim().splitn(3, '.');
    let org = Uuid::parse_str(parts.next()?).ok()?;
    let id = Uuid::parse_str(parts.next()?).ok()?;
    let secret = parts.next()?.to_string();
    if secret.is_empty() || secret.len() > 128 {
        return None;
    }
    Some(ParsedRefresh { org, id, secret })
}

/// Comparison whose time does not depend on where the strings differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
