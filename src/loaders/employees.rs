//! Employee loaders: by id, by login user, and the to-many relations
//! (direct reports, department members) batched into one statement each.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, Order};
use uuid::Uuid;

use crate::{
    entity::employee::{Column, Entity, Model},
    error::AppError,
    tenancy::OrgDb,
};

pub struct EmployeeById(pub OrgDb);

impl Loader<Uuid> for EmployeeById {
    type Value = Model;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Model>, AppError> {
        let rows = self
            .0
            .find::<Entity>()
            .filter(Column::Id.is_in(keys.iter().copied()))
            .all()
            .await?;
        Ok(rows.into_iter().map(|e| (e.id, e)).collect())
    }
}

pub struct EmployeeByUser(pub OrgDb);

impl Loader<Uuid> for EmployeeByUser {
    type Value = Model;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Model>, AppError> {
        let rows = self
            .0
            .find::<Entity>()
            .filter(Column::UserId.is_in(keys.iter().copied()))
            .all()
            .await?;
        Ok(rows.into_iter().filter_map(|e| e.user_id.map(|u| (u, e))).collect())
    }
}

/// Group rows by a nullable parent column, keeping the query's order.
async fn group_by(
    db: &OrgDb,
    col: Column,
    keys: &[Uuid],
    key_of: fn(&Model) -> Option<Uuid>,
) -> Result<HashMap<Uuid, Vec<Model>>, AppError> {
    let rows = db
        .find::<Entity>()
        .filter(col.is_in(keys.iter().copied()))
        .order_by(Column::EmployeeCode, Order::Asc)
        .all()
        .await?;
    let mut out: HashMap<Uuid, Vec<Model>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    for row in rows {
        if let Some(k) = key_of(&row) {
            out.entry(k).or_default().push(row);
        }
    }
    Ok(out)
}

/// Direct reports by manager id.
pub struct EmployeesByManager(pub OrgDb);

impl Loader<Uuid> for EmployeesByManager {
    type Value = Vec<Model>;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<Model>>, AppError> {
        group_by(&self.0, Column::ManagerId, keys, |e| e.manager_id).await
    }
}

/// Members by department id.
pub struct EmployeesByDepartment(pub OrgDb);

impl Loader<Uuid> for EmployeesByDepartment {
    type Value = Vec<Model>;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<Model>>, AppError> {
        group_by(&self.0, Column::DepartmentId, keys, |e| e.department_id).await
    }
}
