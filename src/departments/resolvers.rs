use async_graphql::{Context, ID, Object, Result};

use super::{
    Department, service,
    types::{
        CreateDepartmentInput, DeleteDepartmentInput, DeleteDepartmentPayload, DepartmentPayload, UpdateDepartmentInput,
    },
};
use crate::{
    ids::{self, Kind},
    loaders::pagination::{Page, PageArgs},
    scope::ScopeExt,
};

fn write_guard<'a>(ctx: &'a Context<'_>) -> Result<&'a crate::scope::Scope> {
    let scope = ctx.scope()?;
    scope.require(|r| r.can_write_people(), "change departments")?;
    Ok(scope)
}

#[derive(Default)]
pub struct DepartmentQuery;

#[Object]
impl DepartmentQuery {
    /// A department of the caller's organization; `null` when there is none
    /// with this id.
    async fn department(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Department>> {
        let scope = ctx.scope()?;
        let Ok(id) = ids::decode(Kind::Department, &id, "id") else {
            return Ok(None);
        };
        Ok(scope.loaders.department.load_one(id).await?.map(Department))
    }

    /// The organization's departments, ordered by name.
    async fn departments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Page<Department>> {
        let scope = ctx.scope()?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let want_total = ctx.look_ahead().field("totalCount").exists();
        Ok(service::list(&scope.db, &args, want_total).await?)
    }
}

#[derive(Default)]
pub struct DepartmentMutation;

#[Object]
impl DepartmentMutation {
    /// Create a department (ADMIN, HR).
    async fn create_department(&self, ctx: &Context<'_>, input: CreateDepartmentInput) -> Result<DepartmentPayload> {
        let scope = write_guard(ctx)?;
        let parent = input
            .parent_id
            .as_ref()
            .map(|p| ids::decode(Kind::Department, p, "parentId"))
            .transpose()?;
        let department = service::create(&scope.db, &input.name, parent).await?;
        Ok(DepartmentPayload {
            department: Department(department),
        })
    }

    /// Rename or move a department (ADMIN, HR).
    async fn update_department(&self, ctx: &Context<'_>, input: UpdateDepartmentInput) -> Result<DepartmentPayload> {
        let scope = write_guard(ctx)?;
        let id = ids::decode(Kind::Department, &input.id, "id")?;
        let parent = input
            .parent_id
            .map_value(|p| ids::decode(Kind::Department, &p, "parentId"))
            .transpose()?;
        let department = service::update(&scope.db, id, input.name.as_deref(), parent).await?;
        Ok(DepartmentPayload {
            department: Department(department),
        })
    }

    /// Delete an empty department: one with no members and no
    /// sub-departments (ADMIN, HR).
    async fn delete_department(
        &self,
        ctx: &Context<'_>,
        input: DeleteDepartmentInput,
    ) -> Result<DeleteDepartmentPayload> {
        let scope = write_guard(ctx)?;
        let id = ids::decode(Kind::Department, &input.id, "id")?;
        service::delete(&scope.db, id).await?;
        Ok(DeleteDepartmentPayload {
            deleted_department_id: ids::encode(Kind::Department, id),
        })
    }
}
