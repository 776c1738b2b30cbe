//! The global organization filter.

use sea_orm::EntityTrait;

/// Implemented by every tenant entity: names the column that holds the
/// organization. [`super::OrgDb`] uses it to filter every select, update
/// and delete, and to stamp every insert.
pub trait OrgFilter: EntityTrait {
    fn org_column() -> Self::Column;
    /// The row's own id (the second half of the `(organization_id, id)` key).
    fn id_column() -> Self::Column;
}
