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

/// `tenant_entity!();` in an entity module: the [`OrgFilter`] of a tenant
/// table keyed `(organization_id, id)` — every tenant table's shape.
#[macro_export]
macro_rules! tenant_entity {
    () => {
        impl $crate::tenancy::OrgFilter for Entity {
            fn org_column() -> Column {
                Column::OrganizationId
            }
            fn id_column() -> Column {
                Column::Id
            }
        }
    };
}
