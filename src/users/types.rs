use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::{
    employees::Employee,
    entity::{enums::Role, user},
    ids::{self, Kind},
    organizations::{Organization, service as orgs},
    scope::ScopeExt,
};

/// A login account of one organization. The same email may belong to
/// different users in different organizations.
pub struct User(pub user::Model);

#[Object]
impl User {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::User, self.0.id)
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn role(&self) -> Role {
        self.0.role
    }
    async fn is_active(&self) -> bool {
        self.0.is_active
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn organization(&self, ctx: &Context<'_>) -> Result<Organization> {
        Ok(Organization(orgs::own(&ctx.scope()?.db).await?))
    }
    /// The employee record linked to this login, if any.
    async fn employee(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let scope = ctx.scope()?;
        Ok(scope.loaders.employee_by_user.load_one(self.0.id).await?.map(Employee))
    }
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    /// At least 8 characters.
    pub password: String,
    pub role: Role,
    /// Link the new login to this employee (who must not have one yet).
    pub employee_id: Option<ID>,
}

#[derive(InputObject)]
pub struct UpdateUserInput {
    pub id: ID,
    pub role: Option<Role>,
    /// Deactivating a user ends their sessions at once.
    pub is_active: Option<bool>,
    /// Setting a password ends the user's sessions (refresh tokens).
    pub password: Option<String>,
}

#[derive(SimpleObject)]
pub struct UserPayload {
    pub user: User,
}
