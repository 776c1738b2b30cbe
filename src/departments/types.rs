use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::{
    employees::Employee,
    entity::department,
    ids::{self, Kind},
    scope::ScopeExt,
};

pub struct Department(pub department::Model);

#[Object]
impl Department {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Department, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The department this one belongs to, if any.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        let Some(parent) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(ctx.scope()?.loaders.department.load_one(parent).await?.map(Department))
    }
    /// Members of this department, ordered by employee code.
    async fn employees(&self, ctx: &Context<'_>) -> Result<Vec<Employee>> {
        Ok(ctx
            .scope()?
            .loaders
            .department_employees
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Employee)
            .collect())
    }
}

#[derive(InputObject)]
pub struct CreateDepartmentInput {
    pub name: String,
    pub parent_id: Option<ID>,
}

#[derive(InputObject)]
pub struct UpdateDepartmentInput {
    pub id: ID,
    pub name: Option<String>,
    /// A department id, or `null` to make this a top-level department.
    pub parent_id: MaybeUndefined<ID>,
}

#[derive(InputObject)]
pub struct DeleteDepartmentInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct DepartmentPayload {
    pub department: Department,
}

#[derive(SimpleObject)]
pub struct DeleteDepartmentPayload {
    pub deleted_department_id: ID,
}
