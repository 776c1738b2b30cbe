use async_graphql::{Context, Object, Result};

use super::{Organization, service};
use crate::scope::ScopeExt;

#[derive(Default)]
pub struct OrganizationQuery;

#[Object]
impl OrganizationQuery {
    /// The caller's organization.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Organization> {
        let scope = ctx.scope()?;
        Ok(Organization(service::own(&scope.db).await?))
    }
}
