//! User rules: unique email per organization, password policy, an admin
//! cannot lock themselves out, deactivation and password changes end the
//! user's sessions.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, Order, sea_query::ExprTrait};
use uuid::Uuid;

use crate::{
    auth::{hash_password, revoke_sessions, validate_password},
    entity::{employee, enums::Role, user},
    error::{AppError, AppResult},
    loaders::pagination::{self, Page, PageArgs},
    tenancy::{OrgDb, guards},
};

use super::User;

const EMAIL_TAKEN: &str = "a user with this email already exists in this organization";

/// Trimmed, lower-cased, and shaped like an address.
pub fn normalize_email(email: &str) -> AppResult<String> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace);
    if valid {
        Ok(email)
    } else {
        Err(AppError::bad_input("email is not a valid address"))
    }
}

pub async fn get(db: &OrgDb, id: Uuid) -> AppResult<user::Model> {
    guards::ensure_target::<user::Entity, _>(db, id, "user").await
}

pub async fn list(db: &OrgDb, args: &PageArgs, want_total: bool) -> AppResult<Page<User>> {
    pagination::page(
        args,
        want_total,
        || {
            db.find::<user::Entity>()
                .order_by(user::Column::Email, Order::Asc)
                .order_by(user::Column::Id, Order::Asc)
        },
        User,
    )
    .await
}

pub async fn create(
    db: &OrgDb,
    email: &str,
    password: String,
    role: Role,
    employee_id: Option<Uuid>,
) -> AppResult<user::Model> {
    let email = normalize_email(email)?;
    validate_password(&password)?;
    if let Some(emp) = employee_id {
        let e = guards::ensure_ref::<employee::Entity, _>(db, emp, "employeeId", "employee").await?;
        if e.user_id.is_some() {
            return Err(AppError::conflict("this employee already has a user"));
        }
    }
    let hash = hash_password(password).await?;

    let tx = db.begin().await?;
    let user = tx
        .insert(user::ActiveModel {
            id: Set(Uuid::now_v7()),
            email: Set(email),
            password_hash: Set(hash),
            role: Set(role),
            is_active: Set(true),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .await
        .map_err(|e| AppError::from_db_unique(e, "users_org_email_key|users.email", EMAIL_TAKEN))?;
    if let Some(emp) = employee_id {
        // Conditional on the employee still having no user.
        let linked = tx
            .update_where::<employee::Entity, _>(
                employee::ActiveModel {
                    user_id: Set(Some(user.id)),
                    updated_at: Set(Utc::now()),
                    ..Default::default()
                },
                employee::Column::Id.eq(emp).and(employee::Column::UserId.is_null()),
            )
            .await?;
        if linked != 1 {
            return Err(AppError::conflict("this employee already has a user"));
        }
    }
    tx.commit().await?;
    Ok(user)
}

pub struct UserChange {
    pub role: Option<Role>,
    pub is_active: Option<bool>,
    pub password: Option<String>,
}

pub async fn update(db: &OrgDb, caller: Uuid, id: Uuid, change: UserChange) -> AppResult<user::Model> {
    let current = guards::ensure_target::<user::Entity, _>(db, id, "user").await?;
    if id == caller {
        if change.is_active == Some(false) {
            return Err(AppError::bad_input("you cannot deactivate yourself"));
        }
        if change.role.is_some_and(|r| r != current.role) {
            return Err(AppError::bad_input("you cannot change your own role"));
        }
    }
    if let Some(p) = &change.password {
        validate_password(p)?;
    }
    let hash = match change.password {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };
    let end_sessions = hash.is_some() || change.is_active == Some(false);

    let mut am = user::ActiveModel {
        id: Set(id),
        ..Default::default()
    };
    let mut changed = false;
    if let Some(r) = change.role {
        am.role = Set(r);
        changed = true;
    }
    if let Some(a) = change.is_active {
        am.is_active = Set(a);
        changed = true;
    }
    if let Some(h) = hash {
        am.password_hash = Set(h);
        changed = true;
    }
    let tx = db.begin().await?;
    let user = if changed {
        tx.update(am)
            .await?
            .ok_or_else(|| AppError::not_found("no user with this id"))?
    } else {
        current
    };
    if end_sessions {
        revoke_sessions(&tx, id).await?;
    }
    tx.commit().await?;
    Ok(user)
}

/// Deactivate a user and end their sessions (used when an employee is
/// terminated).
pub async fn deactivate<C: ConnectionTrait>(db: &OrgDb<C>, id: Uuid) -> AppResult<()> {
    db.update_where::<user::Entity, _>(
        user::ActiveModel {
            is_active: Set(false),
            ..Default::default()
        },
        user::Column::Id.eq(id),
    )
    .await?;
    revoke_sessions(db, id).await?;
    Ok(())
}
