//! Schema migrations: one path for SQLite and PostgreSQL.
//!
//! Every tenant table has the primary key `(organization_id, id)`, and every
//! reference between tenant tables is a composite foreign key that includes
//! `organization_id`, so the database itself refuses a row that points into
//! another organization (on SQLite too). Indexes lead with `organization_id`.

pub use sea_orm_migration::prelude::*;

mod m20261204_000001_core;
mod m20261204_000002_rls;
mod m20261204_000003_attendance;
pub mod tenant;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261204_000001_core::Migration),
            Box::new(m20261204_000002_rls::Migration),
            Box::new(m20261204_000003_attendance::Migration),
        ]
    }
}
