//! `node(id:)`: any object by its global ID, within the caller's
//! organization; another organization's id answers `null`, like an id that
//! does not exist.

use async_graphql::{Context, ID, Interface, Object, Result};

use crate::{
    departments::Department,
    employees::Employee,
    entity::enums::Role,
    ids::{self, Kind},
    organizations::{Organization, service as orgs},
    scope::ScopeExt,
    users::{User, service as users},
};

#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    Organization(Organization),
    User(User),
    Department(Department),
    Employee(Employee),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        let scope = ctx.scope()?;
        let Some((kind, id)) = ids::decode_any(&id) else {
            return Ok(None);
        };
        Ok(match kind {
            Kind::Organization if id == scope.ctx.organization_id => {
                Some(Node::Organization(Organization(orgs::own(&scope.db).await?)))
            }
            Kind::Organization => None,
            // Other users' accounts are visible to ADMIN only.
            Kind::User if scope.ctx.role == Role::Admin || id == scope.ctx.user_id => {
                match users::get(&scope.db, id).await {
                    Ok(u) => Some(Node::User(User(u))),
                    Err(crate::error::AppError::NotFound(_)) => None,
                    Err(e) => return Err(e.into()),
                }
            }
            Kind::User => None,
            Kind::Department => scope
                .loaders
                .department
                .load_one(id)
                .await?
                .map(|d| Node::Department(Department(d))),
            // Reached through their employee; not loadable on their own yet.
            Kind::AttendanceRecord => None,
            Kind::Employee => scope
                .loaders
                .employee
                .load_one(id)
                .await?
                .map(|e| Node::Employee(Employee(e))),
        })
    }
}
