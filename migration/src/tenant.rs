//! Helpers every migration uses for tenant tables, so the shape of the
//! tenancy keys is written once.

use sea_orm_migration::prelude::*;

/// `organization_id` column, non-null UUID.
pub fn org_col<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().take()
}

/// A composite foreign key `(organization_id, from) -> to(organization_id, id)`.
///
/// Including `organization_id` on both sides makes a cross-organization
/// reference impossible in the database itself.
pub fn tenant_fk<T, F, R, RO, RI>(
    table: T,
    org: F,
    from: F,
    to: R,
    to_org: RO,
    to_id: RI,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement
where
    T: IntoIden + Clone + 'static,
    F: IntoIden + 'static,
    R: IntoIden + Clone + 'static,
    RO: IntoIden + 'static,
    RI: IntoIden + 'static,
{
    ForeignKey::create()
        .from(table, (org, from))
        .to(to, (to_org, to_id))
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Restrict)
        .take()
}
