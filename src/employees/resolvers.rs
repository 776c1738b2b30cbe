use async_graphql::{Context, ID, MaybeUndefined, Object, Result};

use super::{
    Employee, service,
    types::{
        CreateEmployeeInput, EmployeeFilter, EmployeeOrder, EmployeePayload, TerminateEmployeeInput,
        UpdateEmployeeInput,
    },
};
use crate::{
    auth::AuthService,
    ids::{self, Kind},
    loaders::{
        pagination::{Page, PageArgs},
        prefetch,
    },
    scope::{Scope, ScopeExt},
};

fn write_guard<'a>(ctx: &'a Context<'_>) -> Result<&'a Scope> {
    let scope = ctx.scope()?;
    scope.require(|r| r.can_write_people(), "change employees")?;
    Ok(scope)
}

fn opt_ref(id: Option<&ID>, kind: Kind, field: &str) -> Result<Option<uuid::Uuid>> {
    Ok(id.map(|i| ids::decode(kind, i, field)).transpose()?)
}

fn maybe_ref(id: MaybeUndefined<ID>, kind: Kind, field: &str) -> Result<MaybeUndefined<uuid::Uuid>> {
    Ok(id.map_value(|i| ids::decode(kind, &i, field)).transpose()?)
}

/// Load the relations the query selects for a whole page at once (see
/// `loaders::prefetch`).
async fn prefetch_relations<'a>(
    scope: &Scope,
    look_ahead: &async_graphql::Lookahead<'_>,
    rows: impl Iterator<Item = &'a crate::entity::employee::Model> + Clone,
) -> Result<()> {
    let loaders = &scope.loaders;
    let departments = prefetch::ids_for(look_ahead, "department", rows.clone().map(|e| e.department_id));
    let managers = prefetch::ids_for(look_ahead, "manager", rows.clone().map(|e| e.manager_id));
    let reports = prefetch::ids_for(look_ahead, "directReports", rows.clone().map(|e| Some(e.id)));
    let attendance: Vec<(uuid::Uuid, u64)> = match prefetch::argument(look_ahead, "attendance", "last") {
        Some(last) => {
            let n = crate::attendance::check_last(last.unwrap_or(crate::attendance::DEFAULT_LAST))?;
            rows.map(|e| (e.id, n)).collect()
        }
        None => Vec::new(),
    };
    tokio::try_join!(
        prefetch::warm(&loaders.department, departments),
        prefetch::warm(&loaders.employee, managers),
        prefetch::warm(&loaders.reports, reports),
        prefetch::warm(&loaders.attendance, attendance),
    )?;
    Ok(())
}

#[derive(Default)]
pub struct EmployeeQuery;

#[Object]
impl EmployeeQuery {
    /// An employee of the caller's organization; `null` when there is none
    /// with this id.
    async fn employee(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Employee>> {
        let scope = ctx.scope()?;
        let Ok(id) = ids::decode(Kind::Employee, &id, "id") else {
            return Ok(None);
        };
        let Some(employee) = service::find(&scope.db, id).await? else {
            return Ok(None);
        };
        prefetch_relations(scope, &ctx.look_ahead(), std::iter::once(&employee)).await?;
        Ok(Some(Employee(employee)))
    }

    /// The organization's employees (default order: employee code).
    #[allow(clippy::too_many_arguments)]
    async fn employees(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<EmployeeFilter>,
        order_by: Option<EmployeeOrder>,
    ) -> Result<Page<Employee>> {
        let scope = ctx.scope()?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let filter = filter.unwrap_or_default();
        let query = service::ListQuery {
            status: filter.status,
            department: opt_ref(filter.department_id.as_ref(), Kind::Department, "filter.departmentId")?,
            search: filter.search,
            order: order_by,
        };
        let look_ahead = ctx.look_ahead();
        let want_total = look_ahead.field("totalCount").exists();
        let page = service::list(&scope.db, &args, query, want_total).await?;
        prefetch_relations(scope, &look_ahead, page.edges.iter().map(|e| &e.node.0)).await?;
        Ok(page)
    }
}

#[derive(Default)]
pub struct EmployeeMutation;

#[Object]
impl EmployeeMutation {
    /// Add an employee (ADMIN, HR).
    async fn create_employee(&self, ctx: &Context<'_>, input: CreateEmployeeInput) -> Result<EmployeePayload> {
        let scope = write_guard(ctx)?;
        let new = service::NewEmployee {
            department: opt_ref(input.department_id.as_ref(), Kind::Department, "departmentId")?,
            manager: opt_ref(input.manager_id.as_ref(), Kind::Employee, "managerId")?,
            employee_code: input.employee_code,
            first_name: input.first_name,
            last_name: input.last_name,
            email: input.email,
            job_title: input.job_title,
            hire_date: input.hire_date,
            status: input.status,
        };
        let employee = service::create(&scope.db, new).await?;
        Ok(EmployeePayload {
            employee: Employee(employee),
        })
    }

    /// Change an employee (ADMIN, HR). Only the fields given change.
    async fn update_employee(&self, ctx: &Context<'_>, input: UpdateEmployeeInput) -> Result<EmployeePayload> {
        let scope = write_guard(ctx)?;
        let id = ids::decode(Kind::Employee, &input.id, "id")?;
        let change = service::EmployeeChange {
            department: maybe_ref(input.department_id, Kind::Department, "departmentId")?,
            manager: maybe_ref(input.manager_id, Kind::Employee, "managerId")?,
            employee_code: input.employee_code,
            first_name: input.first_name,
            last_name: input.last_name,
            email: input.email,
            job_title: input.job_title,
            hire_date: input.hire_date,
            status: input.status,
        };
        let employee = service::update(&scope.db, id, change).await?;
        Ok(EmployeePayload {
            employee: Employee(employee),
        })
    }

    /// Terminate an employee (ADMIN, HR): status TERMINATED, and their login
    /// (if any) is deactivated and signed out.
    async fn terminate_employee(&self, ctx: &Context<'_>, input: TerminateEmployeeInput) -> Result<EmployeePayload> {
        let scope = write_guard(ctx)?;
        let id = ids::decode(Kind::Employee, &input.id, "id")?;
        let employee = service::terminate(&scope.db, id, scope.ctx.user_id).await?;
        if let Some(user) = employee.user_id {
            ctx.data::<std::sync::Arc<AuthService>>()?
                .status_cache()
                .invalidate_user(scope.ctx.organization_id, user);
        }
        Ok(EmployeePayload {
            employee: Employee(employee),
        })
    }
}
