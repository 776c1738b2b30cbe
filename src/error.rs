//! The one error type of the API and its one mapping to GraphQL errors.
//!
//! Services return [`AppError`]; resolvers return `async_graphql::Result` and
//! use `?`. `AppError` deliberately does not implement `Display`: async-graphql
//! turns any `Display` error into a client-visible message, so the only way
//! to the wire is the `From` below, which attaches a stable
//! `extensions.code` and replaces internal causes with "internal error"
//! after logging them.

use std::sync::Arc;

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, SqlErr};

#[derive(Debug, Clone)]
pub enum AppError {
    /// No (valid) credentials for a field that needs them.
    Unauthenticated(String),
    /// Authenticated, but the role may not do this.
    Forbidden(String),
    /// The target of an update or delete does not exist in the caller's
    /// organization (the same answer whether it exists elsewhere or not).
    NotFound(String),
    /// Input that cannot be accepted, including references to rows that are
    /// not in the caller's organization.
    BadUserInput(String),
    /// The input collides with existing data (e.g. a duplicate code).
    Conflict(String),
    /// Anything else: logged with its cause, shown as `INTERNAL`.
    Internal(Arc<anyhow::Error>),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated(_) => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::BadUserInput(_) => "BAD_USER_INPUT",
            AppError::Conflict(_) => "CONFLICT",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    /// The message shown to clients.
    pub fn message(&self) -> &str {
        match self {
            AppError::Unauthenticated(m)
            | AppError::Forbidden(m)
            | AppError::NotFound(m)
            | AppError::BadUserInput(m)
            | AppError::Conflict(m) => m,
            AppError::Internal(_) => "internal error",
        }
    }

    /// The error for an operator command (`hrms seed`, `hrms org …`): the
    /// operator is not a client, so an internal error keeps its cause.
    pub fn for_operator(self) -> anyhow::Error {
        match self {
            AppError::Internal(cause) => anyhow::anyhow!("{cause:#}"),
            other => anyhow::anyhow!("{}: {}", other.code(), other.message()),
        }
    }

    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(Arc::new(e.into()))
    }

    pub fn bad_input(m: impl Into<String>) -> Self {
        AppError::BadUserInput(m.into())
    }

    pub fn not_found(m: impl Into<String>) -> Self {
        AppError::NotFound(m.into())
    }

    pub fn conflict(m: impl Into<String>) -> Self {
        AppError::Conflict(m.into())
    }

    pub fn forbidden(m: impl Into<String>) -> Self {
        AppError::Forbidden(m.into())
    }

    pub fn unauthenticated() -> Self {
        AppError::Unauthenticated("authentication required".into())
    }

    /// A database error, turned into `CONFLICT` when it is the unique
    /// violation the caller names (`constraint` appears in the index name),
    /// otherwise into an internal error.
    pub fn from_db_unique(e: DbErr, constraint: &str, message: &str) -> Self {
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) if unique_matches(&detail, constraint) => {
                AppError::conflict(message)
            }
            _ => AppError::from(e),
        }
    }
}

/// PostgreSQL names the index in the message; SQLite names the columns
/// ("UNIQUE constraint failed: employees.organization_id, employees.employee_code").
fn unique_matches(detail: &str, constraint: &str) -> bool {
    detail.contains(constraint) || constraint.split('|').any(|alt| !alt.is_empty() && detail.contains(alt))
}

impl From<DbErr> for AppError {
    fn from(e: DbErr) -> Self {
        AppError::internal(e)
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(e: AppError) -> Self {
        if let AppError::Internal(cause) = &e {
            tracing::error!(error = ?cause, org = ?crate::tenancy::current_org().map(|c| c.organization_id), "internal error");
        }
        async_graphql::Error::new(e.message()).extend_with(|_, ext| ext.set("code", e.code()))
    }
}
