//! Department loaders.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::ColumnTrait;
use uuid::Uuid;

use crate::{
    entity::department::{Column, Entity, Model},
    error::AppError,
    tenancy::OrgDb,
};

/// Departments by id, within the request's organization.
pub struct DepartmentById(pub OrgDb);

impl Loader<Uuid> for DepartmentById {
    type Value = Model;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Model>, AppError> {
        let rows = self
            .0
            .find::<Entity>()
            .filter(Column::Id.is_in(keys.iter().copied()))
            .all()
            .await?;
        Ok(rows.into_iter().map(|d| (d.id, d)).collect())
    }
}
