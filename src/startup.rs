//! Building and running the application: connect, migrate, bind, serve.
//! Tests build it with port 0 and run it on their own runtime.

use std::{future::Future, sync::Arc, time::Duration};

use anyhow::{Context, bail};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use tokio::net::TcpListener;

use crate::{
    auth::{AuthService, StatusCache},
    config::Config,
    graphql::{self, Limits},
    http::{self, AppState},
    tenancy,
};

/// Connect to the database (creating a SQLite file if needed).
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let url = if url.starts_with("sqlite:") && !url.contains("mode=") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_string()
    };
    let mut opts = ConnectOptions::new(url);
    opts.max_connections(10)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    let db = Database::connect(opts)
        .await
        .context("connecting to the database (check HRMS_DATABASE_URL)")?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers proceed while one connection writes.
        db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
    }
    Ok(db)
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("running migrations")
}

/// `hrms migrate`: with an owner URL (PostgreSQL), migrate as the owner and
/// bring the runtime role named in `database_url` up to date; otherwise
/// migrate through `database_url` itself (SQLite).
pub async fn migrate_all(database_url: &str, migration_url: Option<&str>) -> anyhow::Result<()> {
    match migration_url {
        Some(owner_url) => {
            let owner = connect(owner_url)
                .await
                .context("connecting as the owner (HRMS_MIGRATION_DATABASE_URL)")?;
            migrate(&owner).await?;
            if owner.get_database_backend() == DbBackend::Postgres {
                let role = tenancy::roles::grant_runtime_role(&owner, database_url)
                    .await
                    .context("granting the runtime role")?;
                tracing::info!(role, "runtime role granted");
            }
            owner.close().await.ok();
            Ok(())
        }
        None => {
            let db = connect(database_url).await?;
            if db.get_database_backend() == DbBackend::Postgres {
                tracing::warn!(
                    "migrating PostgreSQL through HRMS_DATABASE_URL: set HRMS_MIGRATION_DATABASE_URL to the owner \
                     and HRMS_DATABASE_URL to the runtime role, or the start-up audit will refuse to serve"
                );
            }
            migrate(&db).await?;
            db.close().await.ok();
            Ok(())
        }
    }
}

/// On PostgreSQL: refuse to serve a database with pending migrations or one
/// whose tenancy guarantees fail the audit.
pub async fn check_postgres(db: &DatabaseConnection) -> anyhow::Result<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    // Read the state directly: sea-orm-migration's own check would try to
    // create its table, which the runtime role may not.
    let applied: Vec<String> = db
        .query_all_raw(sea_orm::Statement::from_string(
            DbBackend::Postgres,
            "SELECT version FROM seaql_migrations".to_string(),
        ))
        .await
        .context("reading the migration state (is the database migrated and the runtime role granted?)")?
        .iter()
        .filter_map(|r| r.try_get::<String>("", "version").ok())
        .collect();
    let pending: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .filter(|name| !applied.contains(name))
        .collect();
    if !pending.is_empty() {
        bail!(
            "{} migration(s) pending: run `hrms migrate` with HRMS_MIGRATION_DATABASE_URL (the owner)",
            pending.len()
        );
    }
    let report = tenancy::audit::audit(db).await.context("auditing row-level security")?;
    if !report.passed() {
        let problems: Vec<String> = report
            .failures()
            .map(|f| format!("{}: {} ({})", f.subject, f.check, f.detail))
            .collect();
        bail!(
            "refusing to serve: the tenancy audit failed (run `hrms doctor` for the full report):\n  {}",
            problems.join("\n  ")
        );
    }
    Ok(())
}

pub struct App {
    listener: TcpListener,
    router: axum::Router,
    db: DatabaseConnection,
    auth: Arc<AuthService>,
}

impl App {
    /// Connect, migrate and bind `config.listen` (port 0 picks a free port).
    pub async fn build(config: &Config) -> anyhow::Result<App> {
        if let Some(owner) = &config.migration_database_url {
            migrate_all(&config.database_url, Some(owner)).await?;
        }
        let db = connect(&config.database_url).await?;
        if db.get_database_backend() == DbBackend::Sqlite {
            migrate(&db).await?;
        }
        Self::with_database(config, db).await
    }

    /// Bind and assemble around an already migrated database (audited
    /// first on PostgreSQL).
    pub async fn with_database(config: &Config, db: DatabaseConnection) -> anyhow::Result<App> {
        check_postgres(&db).await?;
        let cache = Arc::new(StatusCache::new(config.status_cache_ttl));
        let auth = Arc::new(AuthService::new(db.clone(), &config.jwt, cache));
        let schema = graphql::build(
            auth.clone(),
            Limits {
                max_depth: config.max_depth,
                max_complexity: config.max_complexity,
            },
        );
        let router = http::router(AppState {
            schema,
            auth: auth.clone(),
            db: db.clone(),
            env: config.env,
        });
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("binding {}", config.listen))?;
        Ok(App {
            listener,
            router,
            db,
            auth,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn auth(&self) -> &Arc<AuthService> {
        &self.auth
    }

    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
    }
}
