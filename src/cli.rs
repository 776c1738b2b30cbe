//! The command line (clap). Every flag can also come from the environment.

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{
    config::{DEFAULT_DATABASE_URL, DEFAULT_LISTEN, Env},
    entity::enums::SubscriptionStatus,
};

#[derive(Parser, Debug)]
#[command(name = "hrms", version, about = "Multi-tenant HR GraphQL API")]
pub struct Cli {
    /// dev: generated JWT secret, GraphiQL introspection for all;
    /// production: HRMS_JWT_SECRET required, introspection for admins only.
    #[arg(long, env = "HRMS_ENV", value_enum, default_value = "dev", global = true)]
    pub env: Env,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the GraphQL API (migrates the database first).
    Serve(ServeArgs),
    /// Run the database migrations (and, on PostgreSQL with
    /// HRMS_MIGRATION_DATABASE_URL, create and grant the runtime role).
    Migrate(MigrateArgs),
    /// Audit PostgreSQL's row-level security and the runtime role; exits
    /// non-zero on drift.
    Doctor(DbArgs),
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Bulk-generate organizations with departments, a manager tree,
    /// employees and attendance (for load tests and benchmarks).
    Seed(SeedArgs),
    /// Operator commands for organizations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
}

#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    #[arg(long, env = "HRMS_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub database_url: String,
}

#[derive(Args, Debug, Clone)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// PostgreSQL: the owner's URL. Migrations run as the owner; the role
    /// in --database-url becomes the runtime role.
    #[arg(long, env = "HRMS_MIGRATION_DATABASE_URL", hide_env_values = true)]
    pub migration_database_url: Option<String>,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[arg(long, env = "HRMS_LISTEN", default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub migrate: MigrateArgs,
    /// Load three demo organizations (ACME Corp, Globex Inc, Initech) and
    /// print their logins. Refused in production.
    #[arg(long, env = "HRMS_DEMO")]
    pub demo: bool,
}

#[derive(Args, Debug)]
pub struct SeedArgs {
    #[arg(long, env = "HRMS_SEED_ORGS", default_value_t = 20)]
    pub orgs: usize,
    #[arg(long, env = "HRMS_SEED_EMPLOYEES_PER_ORG", default_value_t = 1000)]
    pub employees_per_org: usize,
    /// Days of attendance per employee (ending yesterday).
    #[arg(long, env = "HRMS_SEED_DAYS", default_value_t = 30)]
    pub days: u64,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// Create an organization with its first ADMIN user.
    Create {
        #[arg(long, env = "HRMS_ORG_SLUG")]
        slug: String,
        #[arg(long, env = "HRMS_ORG_NAME")]
        name: String,
        #[arg(long, env = "HRMS_ADMIN_EMAIL")]
        admin_email: String,
        #[arg(long, env = "HRMS_ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Activate or deactivate an organization, or change its subscription.
    Update {
        slug: String,
        #[arg(long, env = "HRMS_ORG_ACTIVE")]
        active: Option<bool>,
        #[arg(long, env = "HRMS_ORG_SUBSCRIPTION", value_enum)]
        subscription: Option<SubscriptionArg>,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum SubscriptionArg {
    Trial,
    Active,
    PastDue,
    Suspended,
}

impl From<SubscriptionArg> for SubscriptionStatus {
    fn from(s: SubscriptionArg) -> Self {
        match s {
            SubscriptionArg::Trial => SubscriptionStatus::Trial,
            SubscriptionArg::Active => SubscriptionStatus::Active,
            SubscriptionArg::PastDue => SubscriptionStatus::PastDue,
            SubscriptionArg::Suspended => SubscriptionStatus::Suspended,
        }
    }
}
