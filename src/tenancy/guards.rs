//! Reference guards (layer 4): every id a mutation input names must belong
//! to the caller's organization, checked before anything is written. An id
//! of another organization gets exactly the error of an id that does not
//! exist.

use sea_orm::{ColumnTrait, ConnectionTrait};
use uuid::Uuid;

use super::{OrgDb, OrgFilter};
use crate::error::{AppError, AppResult};

/// `BAD_USER_INPUT` unless a row of `E` with this id exists in the handle's
/// organization. `field` is the input field, `what` the kind of row.
pub async fn ensure_ref<E, C>(db: &OrgDb<C>, id: Uuid, field: &str, what: &str) -> AppResult<E::Model>
where
    E: OrgFilter,
    E::Model: Sync,
    C: ConnectionTrait,
{
    db.find::<E>()
        .filter(E::id_column().eq(id))
        .one()
        .await?
        .ok_or_else(|| AppError::bad_input(format!("{field}: no {what} with this id")))
}

/// `NOT_FOUND` unless the target of an update or delete exists in the
/// handle's organization.
pub async fn ensure_target<E, C>(db: &OrgDb<C>, id: Uuid, what: &str) -> AppResult<E::Model>
where
    E: OrgFilter,
    E::Model: Sync,
    C: ConnectionTrait,
{
    db.find::<E>()
        .filter(E::id_column().eq(id))
        .one()
        .await?
        .ok_or_else(|| AppError::not_found(format!("no {what} with this id")))
}
