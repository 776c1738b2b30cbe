//! Employee rules: codes unique per organization (`CONFLICT`), department
//! and manager in the same organization (`BAD_USER_INPUT` otherwise, the
//! same for a foreign id as for an unknown one), no management cycles,
//! termination deactivates the employee's login.

use async_graphql::MaybeUndefined;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, Order,
    sea_query::{Expr, ExprTrait, Func},
};
use uuid::Uuid;

use super::{
    Employee,
    types::{EmployeeOrder, EmployeeOrderField, OrderDirection},
};
use crate::{
    entity::{
        department,
        employee::{self, Column},
        enums::EmployeeStatus,
    },
    error::{AppError, AppResult},
    loaders::pagination::{self, Page, PageArgs},
    tenancy::{OrgDb, guards},
    users::service::{deactivate, normalize_email},
};

const CODE_TAKEN: &str = "an employee with this code already exists in this organization";

pub struct ListQuery {
    pub status: Option<EmployeeStatus>,
    pub department: Option<Uuid>,
    pub search: Option<String>,
    pub order: Option<EmployeeOrder>,
}

/// `%` and `_` in user input match themselves.
fn like_pattern(s: &str) -> String {
    let escaped = s
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

pub async fn list(db: &OrgDb, args: &PageArgs, q: ListQuery, want_total: bool) -> AppResult<Page<Employee>> {
    let mut cond = Condition::all();
    if let Some(s) = q.status {
        cond = cond.add(Column::Status.eq(s));
    }
    if let Some(d) = q.department {
        cond = cond.add(Column::DepartmentId.eq(d));
    }
    if let Some(search) = q.search.as_deref().filter(|s| !s.trim().is_empty()) {
        if search.chars().count() > 100 {
            return Err(AppError::bad_input("filter.search must be at most 100 characters"));
        }
        let pattern = like_pattern(search);
        let mut any = Condition::any();
        for col in [Column::FirstName, Column::LastName, Column::Email, Column::EmployeeCode] {
            any = any.add(
                Expr::expr(Func::lower(Expr::col(col)))
                    .like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\')),
            );
        }
        cond = cond.add(any);
    }
    let order = q.order.unwrap_or(EmployeeOrder {
        field: EmployeeOrderField::EmployeeCode,
        direction: OrderDirection::Asc,
    });
    let col = match order.field {
        EmployeeOrderField::EmployeeCode => Column::EmployeeCode,
        EmployeeOrderField::LastName => Column::LastName,
        EmployeeOrderField::FirstName => Column::FirstName,
        EmployeeOrderField::HireDate => Column::HireDate,
        EmployeeOrderField::CreatedAt => Column::CreatedAt,
    };
    let dir = match order.direction {
        OrderDirection::Asc => Order::Asc,
        OrderDirection::Desc => Order::Desc,
    };
    pagination::page(
        args,
        want_total,
        || {
            db.find::<employee::Entity>()
                .filter(cond.clone())
                .order_by(col, dir.clone())
                .order_by(Column::Id, dir.clone())
        },
        Employee,
    )
    .await
}

/// One employee of the organization, if it exists there.
pub async fn find(db: &OrgDb, id: Uuid) -> AppResult<Option<employee::Model>> {
    Ok(db.find::<employee::Entity>().filter(Column::Id.eq(id)).one().await?)
}

fn text(field: &str, v: &str, max: usize) -> AppResult<String> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > max {
        return Err(AppError::bad_input(format!("{field} must be 1-{max} characters")));
    }
    Ok(v.to_string())
}

fn code(v: &str) -> AppResult<String> {
    let v = text("employeeCode", v, 50)?;
    if !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(AppError::bad_input(
            "employeeCode may contain only letters, digits, '-' and '_'",
        ));
    }
    Ok(v)
}

fn settable_status(s: EmployeeStatus) -> AppResult<EmployeeStatus> {
    if s == EmployeeStatus::Terminated {
        return Err(AppError::bad_input(
            "status: use terminateEmployee to terminate an employee",
        ));
    }
    Ok(s)
}

pub struct NewEmployee {
    pub employee_code: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub job_title: String,
    pub department: Option<Uuid>,
    pub manager: Option<Uuid>,
    pub hire_date: NaiveDate,
    pub status: Option<EmployeeStatus>,
}

pub async fn create(db: &OrgDb, new: NewEmployee) -> AppResult<employee::Model> {
    let am = employee::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(None),
        employee_code: Set(code(&new.employee_code)?),
        first_name: Set(text("firstName", &new.first_name, 100)?),
        last_name: Set(text("lastName", &new.last_name, 100)?),
        email: Set(normalize_email(&new.email)?),
        job_title: Set(text("jobTitle", &new.job_title, 200)?),
        department_id: Set(new.department),
        manager_id: Set(new.manager),
        hire_date: Set(new.hire_date),
        status: Set(settable_status(new.status.unwrap_or(EmployeeStatus::Active))?),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    if let Some(d) = new.department {
        guards::ensure_ref::<department::Entity, _>(db, d, "departmentId", "department").await?;
    }
    if let Some(m) = new.manager {
        guards::ensure_ref::<employee::Entity, _>(db, m, "managerId", "employee").await?;
    }
    db.insert(am).await.map_err(map_write_err)
}

fn map_write_err(e: sea_orm::DbErr) -> AppError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => {
            // A referenced row vanished between the check and the write.
            AppError::bad_input("a referenced department or employee does not exist")
        }
        _ => AppError::from_db_unique(e, "employees_org_code_key|employees.employee_code", CODE_TAKEN),
    }
}

/// Refuse a manager that is the employee or reports to them (directly or
/// not): walk up from the proposed manager.
async fn ensure_no_cycle(db: &OrgDb, id: Uuid, manager: Uuid) -> AppResult<()> {
    let mut cursor = Some(manager);
    let mut steps = 0;
    while let Some(current) = cursor {
        if current == id {
            return Err(AppError::bad_input(
                "managerId: an employee cannot be managed by themselves or by someone who reports to them",
            ));
        }
        steps += 1;
        if steps > 10_000 {
            return Err(AppError::internal(anyhow::anyhow!(
                "management chain too long or cyclic"
            )));
        }
        cursor = db
            .find::<employee::Entity>()
            .filter(Column::Id.eq(current))
            .one()
            .await?
            .and_then(|e| e.manager_id);
    }
    Ok(())
}

pub struct EmployeeChange {
    pub employee_code: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub job_title: Option<String>,
    pub department: MaybeUndefined<Uuid>,
    pub manager: MaybeUndefined<Uuid>,
    pub hire_date: Option<NaiveDate>,
    pub status: Option<EmployeeStatus>,
}

pub async fn update(db: &OrgDb, id: Uuid, change: EmployeeChange) -> AppResult<employee::Model> {
    let current = guards::ensure_target::<employee::Entity, _>(db, id, "employee").await?;
    let mut am = employee::ActiveModel {
        id: Set(id),
        ..Default::default()
    };
    let mut changed = false;
    macro_rules! set {
        ($field:ident, $value:expr) => {{
            am.$field = Set($value);
            changed = true;
        }};
    }
    if let Some(v) = &change.employee_code {
        set!(employee_code, code(v)?);
    }
    if let Some(v) = &change.first_name {
        set!(first_name, text("firstName", v, 100)?);
    }
    if let Some(v) = &change.last_name {
        set!(last_name, text("lastName", v, 100)?);
    }
    if let Some(v) = &change.email {
        set!(email, normalize_email(v)?);
    }
    if let Some(v) = &change.job_title {
        set!(job_title, text("jobTitle", v, 200)?);
    }
    if let Some(v) = change.hire_date {
        set!(hire_date, v);
    }
    if let Some(s) = change.status {
        if current.status == EmployeeStatus::Terminated {
            return Err(AppError::bad_input("status: this employee is terminated"));
        }
        set!(status, settable_status(s)?);
    }
    match change.department {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => set!(department_id, None),
        MaybeUndefined::Value(d) => {
            guards::ensure_ref::<department::Entity, _>(db, d, "departmentId", "department").await?;
            set!(department_id, Some(d));
        }
    }
    match change.manager {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => set!(manager_id, None),
        MaybeUndefined::Value(m) => {
            guards::ensure_ref::<employee::Entity, _>(db, m, "managerId", "employee").await?;
            ensure_no_cycle(db, id, m).await?;
            set!(manager_id, Some(m));
        }
    }
    if !changed {
        return Ok(current);
    }
    am.updated_at = Set(Utc::now());
    db.update(am)
        .await
        .map_err(map_write_err)?
        .ok_or_else(|| AppError::not_found("no employee with this id"))
}

/// Status TERMINATED and, in the same transaction, the employee's login is
/// deactivated and its sessions revoked.
pub async fn terminate(db: &OrgDb, id: Uuid, caller: Uuid) -> AppResult<employee::Model> {
    let current = guards::ensure_target::<employee::Entity, _>(db, id, "employee").await?;
    if current.user_id == Some(caller) {
        return Err(AppError::bad_input("you cannot terminate yourself"));
    }
    if current.status == EmployeeStatus::Terminated {
        return Ok(current);
    }
    let tx = db.begin().await?;
    let employee = tx
        .update(employee::ActiveModel {
            id: Set(id),
            status: Set(EmployeeStatus::Terminated),
            updated_at: Set(Utc::now()),
            ..Default::default()
        })
        .await?
        .ok_or_else(|| AppError::not_found("no employee with this id"))?;
    if let Some(user) = employee.user_id {
        deactivate(&tx, user).await?;
    }
    tx.commit().await?;
    Ok(employee)
}
