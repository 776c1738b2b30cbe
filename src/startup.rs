//! Building and running the application: connect, migrate, bind, serve.
//! Tests build it with port 0 and run it on their own runtime.

use std::{future::Future, sync::Arc, time::Duration};

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use tokio::net::TcpListener;

use crate::{
    auth::{AuthService, StatusCache},
    config::Config,
    graphql::{self, Limits},
    http::{self, AppState},
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

pub struct App {
    listener: TcpListener,
    router: axum::Router,
    db: DatabaseConnection,
    auth: Arc<AuthService>,
}

impl App {
    /// Connect, migrate and bind `config.listen` (port 0 picks a free port).
    pub async fn build(config: &Config) -> anyhow::Result<App> {
        let db = connect(&config.database_url).await?;
        migrate(&db).await?;
        Self::with_database(config, db).await
    }

    /// Bind and assemble around an already migrated database.
    pub async fn with_database(config: &Config, db: DatabaseConnection) -> anyhow::Result<App> {
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
