use async_graphql::{Context, Object, Result};

use super::{
    User, service,
    types::{CreateUserInput, UpdateUserInput, UserPayload},
};
use crate::{
    auth::AuthService,
    ids::{self, Kind},
    loaders::pagination::{Page, PageArgs},
    scope::ScopeExt,
};

#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// The authenticated user.
    async fn me(&self, ctx: &Context<'_>) -> Result<User> {
        let scope = ctx.scope()?;
        Ok(User(service::get(&scope.db, scope.ctx.user_id).await?))
    }

    /// The organization's users (ADMIN).
    async fn users(&self, ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> Result<Page<User>> {
        let scope = ctx.scope()?;
        scope.require_admin("list users")?;
        let args = PageArgs {
            first,
            after,
            ..Default::default()
        };
        let want_total = ctx.look_ahead().field("totalCount").exists();
        Ok(service::list(&scope.db, &args, want_total).await?)
    }
}

#[derive(Default)]
pub struct UserMutation;

#[Object]
impl UserMutation {
    /// Create a login for this organization (ADMIN).
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<UserPayload> {
        let scope = ctx.scope()?;
        scope.require_admin("create users")?;
        let employee = input
            .employee_id
            .as_ref()
            .map(|id| ids::decode(Kind::Employee, id, "employeeId"))
            .transpose()?;
        let user = service::create(&scope.db, &input.email, input.password, input.role, employee).await?;
        Ok(UserPayload { user: User(user) })
    }

    /// Change a user's role, activity or password (ADMIN).
    async fn update_user(&self, ctx: &Context<'_>, input: UpdateUserInput) -> Result<UserPayload> {
        let scope = ctx.scope()?;
        scope.require_admin("update users")?;
        let id = ids::decode(Kind::User, &input.id, "id")?;
        let change = service::UserChange {
            role: input.role,
            is_active: input.is_active,
            password: input.password,
        };
        let user = service::update(&scope.db, scope.ctx.user_id, id, change).await?;
        ctx.data::<std::sync::Arc<AuthService>>()?
            .status_cache()
            .invalidate_user(scope.ctx.organization_id, id);
        Ok(UserPayload { user: User(user) })
    }
}
