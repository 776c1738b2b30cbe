//! The PostgreSQL runtime role. Migrations run as the owner; the server
//! connects as a separate login role that is not a superuser, cannot bypass
//! RLS, owns nothing, and holds only SELECT, INSERT, UPDATE and DELETE on
//! tenant tables (no TRUNCATE), plus what it needs on the rest. `hrms
//! migrate` (as the owner) creates the role when it is missing and brings
//! its grants up to date; the start-up audit checks the result.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

use super::audit::TENANT_TABLES_FROM;

/// User name and password of a `postgres://user:password@host/db` URL.
pub fn url_credentials(url: &str) -> Option<(String, Option<String>)> {
    let rest = url.split_once("://")?.1;
    let (userinfo, _) = rest.split_once('@')?;
    let (user, password) = match userinfo.split_once(':') {
        Some((u, p)) => (u, Some(p.to_string())),
        None => (userinfo, None),
    };
    Some((user.to_string(), password))
}

/// Role names are interpolated into SQL: only plain identifiers pass.
fn valid_role(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

fn sql_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Create (if missing) and grant the runtime role named in `runtime_url`,
/// connected as the owner.
pub async fn grant_runtime_role(owner: &DatabaseConnection, runtime_url: &str) -> Result<String, DbErr> {
    if owner.get_database_backend() != DbBackend::Postgres {
        return Err(DbErr::Custom("the runtime role exists only on PostgreSQL".into()));
    }
    let (role, password) = url_credentials(runtime_url)
        .ok_or_else(|| DbErr::Custom("HRMS_DATABASE_URL names no user: postgres://ROLE:PASSWORD@host/db".into()))?;
    if !valid_role(&role) {
        return Err(DbErr::Custom(format!(
            "runtime role name {role:?}: use lower-case letters, digits and _"
        )));
    }
    let password = password
        .map(|p| format!("PASSWORD {}", sql_literal(&p)))
        .unwrap_or_default();
    // Concurrent migrations (tests) may race to create the role.
    owner
        .execute_unprepared(&format!(
            "DO $hrms$ BEGIN
               IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
                 CREATE ROLE {role} LOGIN {password} NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
               END IF;
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
             END $hrms$;"
        ))
        .await?;

    let names = owner
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT current_database()::text AS db, current_schema()::text AS schema".to_string(),
        ))
        .await?;
    let row = names
        .first()
        .ok_or_else(|| DbErr::Custom("no current database".into()))?;
    let db: String = row.try_get("", "db")?;
    let schema: String = row.try_get("", "schema")?;
    let tenant_tables = owner
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT c.relname::text AS name {TENANT_TABLES_FROM} ORDER BY 1"),
        ))
        .await?;
    let mut sql = format!(
        "GRANT CONNECT ON DATABASE \"{db}\" TO {role};
         GRANT USAGE ON SCHEMA \"{schema}\" TO {role};
         REVOKE ALL ON ALL TABLES IN SCHEMA \"{schema}\" FROM {role};
         GRANT SELECT, INSERT, UPDATE ON organizations TO {role};
         GRANT SELECT ON seaql_migrations TO {role};"
    );
    for t in &tenant_tables {
        let table: String = t.try_get("", "name")?;
        sql.push_str(&format!(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON \"{table}\" TO {role};"
        ));
    }
    owner.execute_unprepared(&sql).await?;
    Ok(role)
}
