//! The per-request scope resolvers work in: the caller's context, the
//! org-scoped database handle and the request's dataloaders. It is put on
//! the async-graphql *request* (never on the schema) by the HTTP layer, only
//! after layer 1 accepted the token; without it, only public fields work.

use async_graphql::Context;

use crate::{
    entity::enums::Role,
    error::{AppError, AppResult},
    loaders::Loaders,
    tenancy::{OrgContext, OrgDb},
};

pub struct Scope {
    pub ctx: OrgContext,
    pub db: OrgDb,
    pub loaders: Loaders,
}

impl Scope {
    pub fn new(ctx: OrgContext, db: OrgDb) -> Self {
        let loaders = Loaders::new(db.clone());
        Scope { ctx, db, loaders }
    }

    /// Role guard (layer 4): `FORBIDDEN` unless `allowed` holds for the
    /// caller's current role.
    pub fn require(&self, allowed: impl Fn(Role) -> bool, what: &str) -> AppResult<()> {
        if allowed(self.ctx.role) {
            Ok(())
        } else {
            Err(AppError::forbidden(format!("your role may not {what}")))
        }
    }

    pub fn require_admin(&self, what: &str) -> AppResult<()> {
        self.require(|r| r == Role::Admin, what)
    }
}

/// `ctx.scope()?` in a resolver: the request's scope, or `UNAUTHENTICATED`.
pub trait ScopeExt {
    fn scope(&self) -> AppResult<&Scope>;
}

impl ScopeExt for Context<'_> {
    fn scope(&self) -> AppResult<&Scope> {
        self.data_opt::<Scope>().ok_or_else(AppError::unauthenticated)
    }
}
