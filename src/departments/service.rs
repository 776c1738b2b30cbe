//! Department rules: names are 1–200 characters; a parent must be in the
//! same organization and must not be the department itself or one of its
//! descendants; only empty departments can be deleted.

use async_graphql::MaybeUndefined;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, Order};
use uuid::Uuid;

use super::Department;
use crate::{
    entity::{department, employee},
    error::{AppError, AppResult},
    loaders::pagination::{self, Page, PageArgs},
    tenancy::{OrgDb, guards},
};

fn clean_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::bad_input("name must be 1-200 characters"));
    }
    Ok(name.to_string())
}

pub async fn list(db: &OrgDb, args: &PageArgs, want_total: bool) -> AppResult<Page<Department>> {
    pagination::page(
        args,
        want_total,
        || {
            db.find::<department::Entity>()
                .order_by(department::Column::Name, Order::Asc)
                .order_by(department::Column::Id, Order::Asc)
        },
        Department,
    )
    .await
}

pub async fn create(db: &OrgDb, name: &str, parent: Option<Uuid>) -> AppResult<department::Model> {
    let name = clean_name(name)?;
    if let Some(p) = parent {
        guards::ensure_ref::<department::Entity, _>(db, p, "parentId", "department").await?;
    }
    Ok(db
        .insert(department::ActiveModel {
            id: Set(Uuid::now_v7()),
            name: Set(name),
            parent_id: Set(parent),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .await?)
}

/// Refuse a parent that is `id` itself or below it (walks up from the
/// proposed parent; the tree is acyclic, so the walk ends).
async fn ensure_not_descendant(db: &OrgDb, id: Uuid, parent: Uuid) -> AppResult<()> {
    let mut cursor = Some(parent);
    let mut steps = 0;
    while let Some(current) = cursor {
        if current == id {
            return Err(AppError::bad_input(
                "parentId: a department cannot be placed under itself or one of its sub-departments",
            ));
        }
        steps += 1;
        if steps > 10_000 {
            return Err(AppError::internal(anyhow::anyhow!(
                "department tree too deep or cyclic"
            )));
        }
        cursor = db
            .find::<department::Entity>()
            .filter(department::Column::Id.eq(current))
            .one()
            .await?
            .and_then(|d| d.parent_id);
    }
    Ok(())
}

pub async fn update(
    db: &OrgDb,
    id: Uuid,
    name: Option<&str>,
    parent: MaybeUndefined<Uuid>,
) -> AppResult<department::Model> {
    let current = guards::ensure_target::<department::Entity, _>(db, id, "department").await?;
    let mut am = department::ActiveModel {
        id: Set(id),
        ..Default::default()
    };
    let mut changed = false;
    if let Some(n) = name {
        am.name = Set(clean_name(n)?);
        changed = true;
    }
    match parent {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => {
            am.parent_id = Set(None);
            changed = true;
        }
        MaybeUndefined::Value(p) => {
            guards::ensure_ref::<department::Entity, _>(db, p, "parentId", "department").await?;
            ensure_not_descendant(db, id, p).await?;
            am.parent_id = Set(Some(p));
            changed = true;
        }
    }
    if !changed {
        return Ok(current);
    }
    db.update(am)
        .await?
        .ok_or_else(|| AppError::not_found("no department with this id"))
}

pub async fn delete(db: &OrgDb, id: Uuid) -> AppResult<()> {
    guards::ensure_target::<department::Entity, _>(db, id, "department").await?;
    let members = db
        .find::<employee::Entity>()
        .filter(employee::Column::DepartmentId.eq(id))
        .count()
        .await?;
    let children = db
        .find::<department::Entity>()
        .filter(department::Column::ParentId.eq(id))
        .count()
        .await?;
    if members > 0 || children > 0 {
        return Err(AppError::conflict(format!(
            "department still has {members} employee(s) and {children} sub-department(s); move them first"
        )));
    }
    let n = db
        .delete_where::<department::Entity>(department::Column::Id.eq(id))
        .await
        .map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => {
                AppError::conflict("department is still referenced; move its members first")
            }
            _ => AppError::from(e),
        })?;
    if n == 0 {
        return Err(AppError::not_found("no department with this id"));
    }
    Ok(())
}
