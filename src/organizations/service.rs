//! Organization rules. `create` and `update` are operator actions (CLI),
//! not reachable from the GraphQL API.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::{
    auth::{hash_password, validate_password},
    entity::{
        enums::{Role, SubscriptionStatus},
        organization, user,
    },
    error::{AppError, AppResult},
    tenancy::OrgDb,
    users::service::normalize_email,
};

pub async fn own(db: &OrgDb) -> AppResult<organization::Model> {
    db.organization()
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("organization of a valid context is missing")))
}

/// A slug: 3–63 characters of `a-z`, `0-9` and `-`, not starting or ending
/// with `-`.
pub fn validate_slug(slug: &str) -> AppResult<String> {
    let slug = slug.trim().to_lowercase();
    let ok = (3..=63).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(slug)
    } else {
        Err(AppError::bad_input(
            "slug must be 3-63 characters of a-z, 0-9 and '-', not starting or ending with '-'",
        ))
    }
}

/// Create an organization and its first ADMIN user, in one transaction.
pub async fn create(
    conn: &DatabaseConnection,
    slug: &str,
    name: &str,
    admin_email: &str,
    admin_password: &str,
) -> AppResult<(organization::Model, user::Model)> {
    let slug = validate_slug(slug)?;
    let name = name.trim();
    if name.is_empty() || name.len() > 200 {
        return Err(AppError::bad_input("name must be 1-200 characters"));
    }
    let email = normalize_email(admin_email)?;
    validate_password(admin_password)?;
    let hash = hash_password(admin_password.to_string()).await?;

    // One transaction bound to the new organization: its row, then its
    // first admin (RLS admits the user row because the setting matches).
    let db = OrgDb::open_tx(conn, Uuid::now_v7()).await?;
    let org = db
        .create_own_organization(organization::ActiveModel {
            name: Set(name.to_string()),
            slug: Set(slug),
            is_active: Set(true),
            subscription_status: Set(SubscriptionStatus::Trial),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .await
        .map_err(|e| AppError::from_db_unique(e, "slug", "an organization with this slug already exists"))?;
    let admin = db
        .insert(user::ActiveModel {
            id: Set(Uuid::now_v7()),
            email: Set(email),
            password_hash: Set(hash),
            role: Set(Role::Admin),
            is_active: Set(true),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .await?;
    db.finish().await?;
    Ok((org, admin))
}

/// Change an organization's status (operator action).
pub async fn update(
    conn: &DatabaseConnection,
    slug: &str,
    active: Option<bool>,
    subscription: Option<SubscriptionStatus>,
) -> AppResult<organization::Model> {
    let org = by_slug(conn, slug)
        .await?
        .ok_or_else(|| AppError::not_found("no organization with this slug"))?;
    let mut am: organization::ActiveModel = org.into();
    if let Some(a) = active {
        am.is_active = Set(a);
    }
    if let Some(s) = subscription {
        am.subscription_status = Set(s);
    }
    Ok(am.update(conn).await?)
}

/// Look an organization up by slug (operator tools, demo loader).
pub async fn by_slug(conn: &DatabaseConnection, slug: &str) -> AppResult<Option<organization::Model>> {
    Ok(organization::Entity::find()
        .filter(organization::Column::Slug.eq(slug.trim().to_lowercase()))
        .one(conn)
        .await?)
}
