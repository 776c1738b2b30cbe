//! Row-level security on every tenant table (PostgreSQL; no-op on SQLite).

use sea_orm_migration::prelude::*;

use crate::tenant::{POLICY, enable_rls};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TENANT_TABLES: [&str; 4] = ["users", "departments", "employees", "refresh_tokens"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TENANT_TABLES {
            enable_rls(manager, table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm_migration::sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        for table in TENANT_TABLES {
            manager
                .get_connection()
                .execute_unprepared(&format!(
                    "DROP POLICY IF EXISTS {POLICY} ON \"{table}\";
                     ALTER TABLE \"{table}\" NO FORCE ROW LEVEL SECURITY;
                     ALTER TABLE \"{table}\" DISABLE ROW LEVEL SECURITY;"
                ))
                .await?;
        }
        Ok(())
    }
}
