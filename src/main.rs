use std::net::SocketAddr;

use anyhow::{Context, bail};
use clap::Parser;
use hrms::{
    cli::{Cli, Command, OrgCommand},
    config::{Config, Env, resolve_jwt_secret},
    demo,
    error::AppError,
    graphql, organizations,
    startup::{App, connect, migrate, migrate_all},
    tenancy,
};
use tracing_subscriber::EnvFilter;

/// The server builds a tree of small values for every response and frees
/// it right after; mimalloc's per-thread free lists serve that pattern far
/// better than glibc malloc, which took 28 % of the CPU on the nested-list
/// benchmark (bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Schema => print!("{}", graphql::sdl()),
        Command::Migrate(args) => {
            migrate_all(&args.db.database_url, args.migration_database_url.as_deref()).await?;
            eprintln!("migrations applied");
        }
        Command::Doctor(db) => {
            if !doctor(&db.database_url).await? {
                std::process::exit(1);
            }
        }
        Command::Serve(args) => serve(cli.env, args).await?,
        Command::Org { command } => org(command).await?,
        Command::Seed(args) => {
            let conn = connect_for_tools(&args.db.database_url).await?;
            let plan = hrms::seed::SeedPlan {
                orgs: args.orgs,
                employees_per_org: args.employees_per_org,
                days: args.days,
            };
            let report = hrms::seed::run(&conn, &plan).await.map_err(AppError::for_operator)?;
            println!(
                "seeded {} organizations, {} rows in {:.1} s (admins: admin@seed-org-K.example / {})",
                report.organizations,
                report.rows,
                report.elapsed.as_secs_f64(),
                hrms::seed::SEED_PASSWORD
            );
        }
    }
    Ok(())
}

async fn serve(env: Env, args: hrms::cli::ServeArgs) -> anyhow::Result<()> {
    if args.demo && env == Env::Production {
        bail!("--demo loads well-known passwords and is refused with --env production");
    }
    let secret = resolve_jwt_secret(env, std::env::var("HRMS_JWT_SECRET").ok())?;
    let mut config = Config::new(env, args.migrate.db.database_url.clone(), args.listen, secret);
    config.migration_database_url = args.migrate.migration_database_url.clone();
    let app = App::build(&config).await?;
    if args.demo {
        let logins = demo::load(app.db()).await.context("loading demo data")?;
        demo::print_logins(&logins);
    }
    let addr = SocketAddr::new(config.listen.ip(), app.port());
    tracing::info!("GraphiQL at http://{addr}/graphql");
    app.run_until_stopped(shutdown_signal()).await?;
    Ok(())
}

/// The runtime connection for operator commands; an embedded SQLite file
/// is migrated on the way (PostgreSQL is migrated by its owner).
async fn connect_for_tools(url: &str) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let conn = connect(url).await?;
    if conn.get_database_backend() == sea_orm::DbBackend::Sqlite {
        migrate(&conn).await?;
    }
    Ok(conn)
}

/// Print the tenancy audit; `false` on drift.
async fn doctor(database_url: &str) -> anyhow::Result<bool> {
    let db = connect(database_url).await?;
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        println!("SQLite has no row-level security: the application layers (OrgFilter, guards) and the");
        println!("composite foreign keys are the defense. Nothing to audit.");
        return Ok(true);
    }
    let report = tenancy::audit::audit(&db).await?;
    print!("{}", report.table());
    let failures = report.failures().count();
    if failures == 0 {
        println!("\naudit passed: {} checks", report.findings.len());
        Ok(true)
    } else {
        println!("\naudit FAILED: {failures} of {} checks", report.findings.len());
        Ok(false)
    }
}

async fn org(command: OrgCommand) -> anyhow::Result<()> {
    match command {
        OrgCommand::Create {
            slug,
            name,
            admin_email,
            admin_password,
            db,
        } => {
            let conn = connect_for_tools(&db.database_url).await?;
            let (org, admin) = organizations::service::create(&conn, &slug, &name, &admin_email, &admin_password)
                .await
                .map_err(AppError::for_operator)?;
            println!(
                "created organization {} ({}) with admin {}",
                org.slug, org.id, admin.email
            );
        }
        OrgCommand::Update {
            slug,
            active,
            subscription,
            db,
        } => {
            if active.is_none() && subscription.is_none() {
                bail!("nothing to change: give --active and/or --subscription");
            }
            let conn = connect_for_tools(&db.database_url).await?;
            let org = organizations::service::update(&conn, &slug, active, subscription.map(Into::into))
                .await
                .map_err(AppError::for_operator)?;
            println!(
                "organization {}: active={} subscription={:?} (running servers see it within 5 s)",
                org.slug, org.is_active, org.subscription_status
            );
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
