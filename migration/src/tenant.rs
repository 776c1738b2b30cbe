//! Helpers every migration uses, so the shape of the tenancy keys and of
//! the common columns is written once.

use sea_orm_migration::prelude::*;

/// A non-null timestamp with time zone.
pub fn ts<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().not_null().take()
}

/// A nullable timestamp with time zone.
pub fn ts_opt<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().null().take()
}

/// Non-null text.
pub fn text<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).string().not_null().take()
}

/// Non-null text limited to `values` by a CHECK (the enums).
pub fn one_of<T: IntoIden + Copy + 'static>(col: T, values: &[&str]) -> ColumnDef {
    ColumnDef::new(col)
        .string()
        .not_null()
        .check(Expr::col(col).is_in(values.iter().copied()))
        .take()
}

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

/// The expression every tenant policy compares `organization_id` with: the
/// transaction-local setting the server makes at the start of each request.
/// `nullif(.., '')` because a pooled session that has used the setting once
/// reads `''`, not NULL, afterwards.
pub const CURRENT_ORG: &str = "(select nullif(current_setting('app.current_organization_id', true), '')::uuid)";

/// The name of the policy on every tenant table.
pub const POLICY: &str = "tenant_isolation";

/// Row-level security for a tenant table (PostgreSQL only; a no-op on
/// SQLite, where the application layers are the defense): ENABLE and FORCE
/// (so even the owner is bound), one policy with `USING` and `WITH CHECK`.
/// Every migration that creates a tenant table calls this.
pub async fn enable_rls(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != sea_orm_migration::sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    let sql = format!(
        "ALTER TABLE \"{table}\" ENABLE ROW LEVEL SECURITY;
         ALTER TABLE \"{table}\" FORCE ROW LEVEL SECURITY;
         DROP POLICY IF EXISTS {POLICY} ON \"{table}\";
         CREATE POLICY {POLICY} ON \"{table}\"
           USING (organization_id = {CURRENT_ORG})
           WITH CHECK (organization_id = {CURRENT_ORG});"
    );
    manager.get_connection().execute_unprepared(&sql).await?;
    Ok(())
}
