//! The authentication service: login, refresh-token rotation, logout, and
//! the per-request check of a bearer token (layer 1).
//!
//! It holds the raw connection because it works before there is an
//! organization context: it finds the organization by slug (login) or by the
//! credential itself (refresh token), then does everything else through an
//! [`OrgDb`] for that organization.

use std::sync::Arc;

use chrono::{Duration as ChronoDuration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::ExprTrait};
use uuid::Uuid;

use super::{
    jwt::JwtKeys,
    password::{verify_password, warm_up},
    refresh::{constant_time_eq, hash_secret, new_refresh, parse_refresh},
    status::{OrgStatus, Status, StatusCache, UserStatus},
};
use crate::{
    config::JwtConfig,
    entity::{
        enums::SubscriptionStatus,
        organization, refresh_token,
        user::{self, Column as UserCol},
    },
    error::{AppError, AppResult},
    tenancy::{OrgContext, OrgDb},
};

/// What `login` and `refreshToken` hand back.
pub struct Issued {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: i64,
    pub user: user::Model,
    pub organization: organization::Model,
}

/// Why a bearer token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// Not a valid token (HTTP 401).
    InvalidToken,
    /// Valid token, but the user, organization or subscription may not use
    /// the API now (HTTP 403).
    Forbidden(&'static str),
    /// The database could not be reached to check the token's user (HTTP 503).
    Unavailable,
}

pub struct AuthService {
    db: DatabaseConnection,
    jwt: JwtKeys,
    refresh_ttl: ChronoDuration,
    cache: Arc<StatusCache>,
}

const LOGIN_FAILED: &str = "invalid organization, email or password";
const REFRESH_FAILED: &str = "invalid or expired refresh token";

impl AuthService {
    pub fn new(db: DatabaseConnection, cfg: &JwtConfig, cache: Arc<StatusCache>) -> Self {
        warm_up();
        AuthService {
            db,
            jwt: JwtKeys::new(cfg),
            refresh_ttl: ChronoDuration::from_std(cfg.refresh_ttl).unwrap_or(ChronoDuration::days(30)),
            cache,
        }
    }

    pub fn jwt(&self) -> &JwtKeys {
        &self.jwt
    }

    pub fn status_cache(&self) -> &StatusCache {
        &self.cache
    }

    /// Every failure (unknown organization, unknown email, wrong password,
    /// inactive user or organization) gives the same error and costs one
    /// argon2 verification.
    #[tracing::instrument(skip(self, password), fields(org = %slug))]
    pub async fn login(&self, slug: &str, email: &str, password: String) -> AppResult<Issued> {
        let slug = slug.trim().to_lowercase();
        let email = email.trim().to_lowercase();
        let org = organization::Entity::find()
            .filter(organization::Column::Slug.eq(slug))
            .one(&self.db)
            .await?;
        let (scope, user) = match &org {
            Some(org) => {
                let scope = OrgDb::open(&self.db, org.id).await?;
                let user = scope
                    .find::<user::Entity>()
                    .filter(UserCol::Email.eq(email))
                    .one()
                    .await?;
                (Some(scope), user)
            }
            None => (None, None),
        };
        let password_ok = verify_password(password, user.as_ref().map(|u| u.password_hash.clone())).await?;
        match (org, user, scope) {
            (Some(org), Some(user), Some(scope))
                if password_ok
                    && user.is_active
                    && org.is_active
                    && org.subscription_status != SubscriptionStatus::Suspended =>
            {
                let issued = self.issue(&scope, org, user).await?;
                scope.finish().await?;
                Ok(issued)
            }
            _ => Err(AppError::Unauthenticated(LOGIN_FAILED.into())),
        }
    }

    async fn issue(&self, db: &OrgDb, org: organization::Model, user: user::Model) -> AppResult<Issued> {
        let refresh = self.store_refresh(db, user.id).await?;
        let (access_token, expires_at) = self
            .jwt
            .issue(user.id, org.id, &org.slug, user.role)
            .map_err(AppError::internal)?;
        Ok(Issued {
            access_token,
            refresh_token: refresh.1,
            expires_at,
            user,
            organization: org,
        })
    }

    async fn store_refresh<C: sea_orm::ConnectionTrait>(&self, db: &OrgDb<C>, user: Uuid) -> AppResult<(Uuid, String)> {
        let new = new_refresh(db.organization_id());
        let now = Utc::now();
        db.insert(refresh_token::ActiveModel {
            id: Set(new.id),
            user_id: Set(user),
            token_hash: Set(new.hash),
            expires_at: Set(now + self.refresh_ttl),
            created_at: Set(now),
            revoked_at: Set(None),
            replaced_by: Set(None),
            ..Default::default()
        })
        .await?;
        Ok((new.id, new.token))
    }

    /// Exchange a refresh token for a new access token and a new refresh
    /// token; the old one stops working. Presenting an already-rotated token
    /// again revokes every refresh token of that user (it was stolen or
    /// replayed).
    pub async fn refresh(&self, token: &str) -> AppResult<Issued> {
        let invalid = || AppError::Unauthenticated(REFRESH_FAILED.into());
        let parsed = parse_refresh(token).ok_or_else(invalid)?;
        let db = OrgDb::open(&self.db, parsed.org).await?;
        let row = db
            .find::<refresh_token::Entity>()
            .filter(refresh_token::Column::Id.eq(parsed.id))
            .one()
            .await?
            .filter(|r| constant_time_eq(&r.token_hash, &hash_secret(&parsed.secret)))
            .ok_or_else(invalid)?;
        if row.revoked_at.is_some() {
            if row.replaced_by.is_some() {
                tracing::warn!(user = %row.user_id, org = %parsed.org, "rotated refresh token presented again; revoking the user's sessions");
                revoke_sessions(&db, row.user_id).await?;
                db.finish().await?;
            }
            return Err(invalid());
        }
        if row.expires_at <= Utc::now() {
            return Err(invalid());
        }
        let org = db.organization().await?.ok_or_else(invalid)?;
        let user = db
            .find::<user::Entity>()
            .filter(UserCol::Id.eq(row.user_id))
            .one()
            .await?
            .ok_or_else(invalid)?;
        if let Some(reason) = refusal(Some(&user), Some(&org)) {
            return Err(AppError::forbidden(reason));
        }

        let tx = db.begin().await?;
        let (new_id, new_token) = self.store_refresh(&tx, user.id).await?;
        // Conditional on the row still being live: of two concurrent
        // refreshes with the same token, exactly one wins.
        let rotated = tx
            .update_where::<refresh_token::Entity, _>(
                refresh_token::ActiveModel {
                    revoked_at: Set(Some(Utc::now())),
                    replaced_by: Set(Some(new_id)),
                    ..Default::default()
                },
                refresh_token::Column::Id
                    .eq(row.id)
                    .and(refresh_token::Column::RevokedAt.is_null()),
            )
            .await?;
        if rotated != 1 {
            return Err(invalid());
        }
        tx.commit().await?;
        db.finish().await?;
        let (access_token, expires_at) = self
            .jwt
            .issue(user.id, org.id, &org.slug, user.role)
            .map_err(AppError::internal)?;
        Ok(Issued {
            access_token,
            refresh_token: new_token,
            expires_at,
            user,
            organization: org,
        })
    }

    /// Revoke a refresh token. Returns whether a live token was revoked.
    pub async fn logout(&self, token: &str) -> AppResult<bool> {
        let Some(parsed) = parse_refresh(token) else {
            return Ok(false);
        };
        let db = OrgDb::open(&self.db, parsed.org).await?;
        let Some(row) = db
            .find::<refresh_token::Entity>()
            .filter(refresh_token::Column::Id.eq(parsed.id))
            .one()
            .await?
            .filter(|r| constant_time_eq(&r.token_hash, &hash_secret(&parsed.secret)))
        else {
            return Ok(false);
        };
        let n = db
            .update_where::<refresh_token::Entity, _>(
                refresh_token::ActiveModel {
                    revoked_at: Set(Some(Utc::now())),
                    ..Default::default()
                },
                refresh_token::Column::Id
                    .eq(row.id)
                    .and(refresh_token::Column::RevokedAt.is_null()),
            )
            .await?;
        db.finish().await?;
        Ok(n == 1)
    }

    /// Layer 1: check a bearer token and the current state of its user and
    /// organization. The organization comes only from the verified token.
    /// Returns the caller's context and the request's scope for that
    /// organization (on PostgreSQL, the open transaction the whole request
    /// runs in; the status lookup already ran inside it).
    pub async fn authenticate(&self, bearer: &str) -> Result<(OrgContext, OrgDb), Rejection> {
        let claims = self.jwt.verify(bearer).ok_or(Rejection::InvalidToken)?;
        let org = Uuid::parse_str(&claims.organization_id).map_err(|_| Rejection::InvalidToken)?;
        let user = Uuid::parse_str(&claims.sub).map_err(|_| Rejection::InvalidToken)?;
        let unavailable = |e: AppError| {
            tracing::error!(error = ?e, "opening the request scope failed");
            Rejection::Unavailable
        };
        let scope = OrgDb::open(&self.db, org).await.map_err(|e| unavailable(e.into()))?;
        let status = match self.cache.get(org, user) {
            Some(s) => s,
            None => {
                let s = load_status(&scope, user).await.map_err(unavailable)?;
                self.cache.put(org, user, s);
                s
            }
        };
        match (status.user, status.org) {
            (Some(u), Some(o)) => {
                if let Some(reason) = refusal_status(u, o) {
                    return Err(Rejection::Forbidden(reason));
                }
                let ctx = OrgContext {
                    organization_id: org,
                    user_id: user,
                    role: u.role,
                };
                Ok((ctx, scope))
            }
            (None, Some(_)) => Err(Rejection::Forbidden("user is not a member of this organization")),
            _ => Err(Rejection::Forbidden("organization does not exist")),
        }
    }
}

async fn load_status(db: &OrgDb, user: Uuid) -> AppResult<Status> {
    let org_row = db.organization().await?;
    let user_row = match org_row {
        Some(_) => db.find::<user::Entity>().filter(UserCol::Id.eq(user)).one().await?,
        None => None,
    };
    Ok(Status {
        user: user_row.map(|u| UserStatus {
            role: u.role,
            is_active: u.is_active,
        }),
        org: org_row.map(|o| OrgStatus {
            is_active: o.is_active,
            subscription: o.subscription_status,
        }),
    })
}

fn refusal(user: Option<&user::Model>, org: Option<&organization::Model>) -> Option<&'static str> {
    match (user, org) {
        (Some(u), Some(o)) => refusal_status(
            UserStatus {
                role: u.role,
                is_active: u.is_active,
            },
            OrgStatus {
                is_active: o.is_active,
                subscription: o.subscription_status,
            },
        ),
        _ => Some("user is not a member of this organization"),
    }
}

fn refusal_status(user: UserStatus, org: OrgStatus) -> Option<&'static str> {
    if !org.is_active {
        Some("organization is inactive")
    } else if org.subscription == SubscriptionStatus::Suspended {
        Some("organization subscription is suspended")
    } else if !user.is_active {
        Some("user is deactivated")
    } else {
        None
    }
}

/// Revoke every live refresh token of a user (password change,
/// deactivation, termination, replay).
pub async fn revoke_sessions<C: sea_orm::ConnectionTrait>(db: &OrgDb<C>, user: Uuid) -> AppResult<u64> {
    Ok(db
        .update_where::<refresh_token::Entity, _>(
            refresh_token::ActiveModel {
                revoked_at: Set(Some(Utc::now())),
                ..Default::default()
            },
            refresh_token::Column::UserId
                .eq(user)
                .and(refresh_token::Column::RevokedAt.is_null()),
        )
        .await?)
}
