//! Sessions: the public `login`, `refreshToken` and `logout` mutations
//! (the only fields that work without a token).

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::{
    auth::{AuthService, Issued},
    error::AppError,
    organizations::Organization,
    users::User,
};

#[derive(InputObject)]
pub struct LoginInput {
    pub organization_slug: String,
    pub email: String,
    pub password: String,
}

#[derive(InputObject)]
pub struct RefreshTokenInput {
    pub refresh_token: String,
}

#[derive(InputObject)]
pub struct LogoutInput {
    pub refresh_token: String,
}

#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Bearer token for the `Authorization` header (short-lived).
    pub access_token: String,
    /// Exchange it with `refreshToken` for a new pair; it works once.
    pub refresh_token: String,
    /// When the access token expires.
    pub expires_at: DateTime<Utc>,
    pub user: User,
    pub organization: Organization,
}

impl From<Issued> for AuthPayload {
    fn from(i: Issued) -> Self {
        AuthPayload {
            access_token: i.access_token,
            refresh_token: i.refresh_token,
            expires_at: DateTime::from_timestamp(i.expires_at, 0).unwrap_or_else(Utc::now),
            user: User(i.user),
            organization: Organization(i.organization),
        }
    }
}

#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// Whether a live refresh token was revoked.
    pub revoked: bool,
}

fn auth<'a>(ctx: &'a Context<'_>) -> Result<&'a Arc<AuthService>> {
    ctx.data::<Arc<AuthService>>()
}

#[derive(Default)]
pub struct SessionMutation;

#[Object]
impl SessionMutation {
    /// Sign in to one organization. Any failure answers the same
    /// `UNAUTHENTICATED` error.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<AuthPayload> {
        if input.password.len() > 1024 {
            return Err(AppError::Unauthenticated("invalid organization, email or password".into()).into());
        }
        let issued = auth(ctx)?
            .login(&input.organization_slug, &input.email, input.password)
            .await?;
        Ok(issued.into())
    }

    /// Rotate a refresh token: returns a new pair; the old refresh token
    /// stops working.
    async fn refresh_token(&self, ctx: &Context<'_>, input: RefreshTokenInput) -> Result<AuthPayload> {
        Ok(auth(ctx)?.refresh(&input.refresh_token).await?.into())
    }

    /// Revoke a refresh token (sign out). Access tokens expire on their own
    /// within minutes.
    async fn logout(&self, ctx: &Context<'_>, input: LogoutInput) -> Result<LogoutPayload> {
        Ok(LogoutPayload {
            revoked: auth(ctx)?.logout(&input.refresh_token).await?,
        })
    }
}
