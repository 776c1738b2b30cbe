use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use crate::{
    attendance::{self, AttendanceRecord},
    departments::Department,
    entity::{employee, enums::EmployeeStatus},
    ids::{self, Kind},
    scalars::Date,
    scope::ScopeExt,
};

pub struct Employee(pub employee::Model);

#[Object]
impl Employee {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Employee, self.0.id)
    }
    /// Unique within the organization.
    async fn employee_code(&self) -> &str {
        &self.0.employee_code
    }
    async fn first_name(&self) -> &str {
        &self.0.first_name
    }
    async fn last_name(&self) -> &str {
        &self.0.last_name
    }
    async fn full_name(&self) -> String {
        format!("{} {}", self.0.first_name, self.0.last_name)
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn job_title(&self) -> &str {
        &self.0.job_title
    }
    async fn hire_date(&self) -> Date {
        Date(self.0.hire_date)
    }
    async fn status(&self) -> EmployeeStatus {
        self.0.status
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        let Some(id) = self.0.department_id else {
            return Ok(None);
        };
        Ok(ctx.scope()?.loaders.department.load_one(id).await?.map(Department))
    }
    async fn manager(&self, ctx: &Context<'_>) -> Result<Option<Employee>> {
        let Some(id) = self.0.manager_id else {
            return Ok(None);
        };
        Ok(ctx.scope()?.loaders.employee.load_one(id).await?.map(Employee))
    }
    /// The most recent attendance records (up to `last`, newest first).
    async fn attendance(&self, ctx: &Context<'_>, #[graphql(default = 7)] last: i32) -> Result<Vec<AttendanceRecord>> {
        let n = attendance::check_last(last)?;
        Ok(ctx
            .scope()?
            .loaders
            .attendance
            .load_one((self.0.id, n))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(AttendanceRecord)
            .collect())
    }
    /// Employees whose manager this is, ordered by employee code.
    async fn direct_reports(&self, ctx: &Context<'_>) -> Result<Vec<Employee>> {
        Ok(ctx
            .scope()?
            .loaders
            .reports
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Employee)
            .collect())
    }
}

#[derive(InputObject, Default)]
pub struct EmployeeFilter {
    pub status: Option<EmployeeStatus>,
    pub department_id: Option<ID>,
    /// Case-insensitive match on first name, last name, email or code.
    pub search: Option<String>,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum EmployeeOrderField {
    #[default]
    EmployeeCode,
    LastName,
    FirstName,
    HireDate,
    CreatedAt,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}

#[derive(InputObject, Clone, Copy, Debug)]
pub struct EmployeeOrder {
    pub field: EmployeeOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

#[derive(InputObject)]
pub struct CreateEmployeeInput {
    pub employee_code: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub job_title: String,
    pub department_id: Option<ID>,
    pub manager_id: Option<ID>,
    pub hire_date: NaiveDate,
    /// Defaults to ACTIVE; TERMINATED is set by `terminateEmployee`.
    pub status: Option<EmployeeStatus>,
}

#[derive(InputObject)]
pub struct UpdateEmployeeInput {
    pub id: ID,
    pub employee_code: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub job_title: Option<String>,
    /// A department id, or `null` for none.
    pub department_id: MaybeUndefined<ID>,
    /// An employee id, or `null` for none.
    pub manager_id: MaybeUndefined<ID>,
    pub hire_date: Option<NaiveDate>,
    /// ACTIVE or ON_LEAVE; use `terminateEmployee` to terminate.
    pub status: Option<EmployeeStatus>,
}

#[derive(InputObject)]
pub struct TerminateEmployeeInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct EmployeePayload {
    pub employee: Employee,
}
