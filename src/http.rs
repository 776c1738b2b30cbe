//! HTTP: `POST /graphql` (with the request middleware, layer 1),
//! `GET /graphql` (GraphiQL), `/healthz`, `/readyz`.

use std::sync::Arc;

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode, header::AUTHORIZATION},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::{
    auth::{AuthService, Rejection},
    config::Env,
    entity::enums::Role,
    graphql::AppSchema,
    scope::Scope,
    tenancy::CURRENT_ORG,
};

#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    pub auth: Arc<AuthService>,
    /// Used only to build each request's [`OrgDb`] and for `/readyz`.
    pub db: DatabaseConnection,
    pub env: Env,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/graphql", get(graphiql).post(graphql))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .with_state(state)
}

async fn graphiql() -> Html<String> {
    Html(GraphiQLSource::build().endpoint("/graphql").finish())
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "readiness check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// A GraphQL-shaped error body with an HTTP status, for requests refused
/// before execution.
fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, Json(body)).into_response()
}

/// `Some(Ok(token))` for `Bearer <token>`, `Some(Err(()))` for any other
/// `Authorization` value, `None` without the header.
fn bearer(headers: &HeaderMap) -> Option<Result<&str, ()>> {
    let value = headers.get(AUTHORIZATION)?;
    let parsed = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(());
    Some(parsed)
}

#[tracing::instrument(level = "debug", skip_all)]
async fn graphql(State(state): State<AppState>, headers: HeaderMap, req: GraphQLRequest) -> Response {
    let mut req = req.into_inner();
    let scope = match bearer(&headers) {
        None => None,
        Some(Err(())) => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                "malformed Authorization header",
            );
        }
        Some(Ok(token)) => match state.auth.authenticate(token).await {
            Ok(scope) => Some(scope),
            Err(Rejection::InvalidToken) => {
                return refuse(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "invalid or expired token");
            }
            Err(Rejection::Forbidden(reason)) => {
                return refuse(StatusCode::FORBIDDEN, "FORBIDDEN", reason);
            }
            Err(Rejection::Unavailable) => {
                return refuse(StatusCode::SERVICE_UNAVAILABLE, "INTERNAL", "internal error");
            }
        },
    };
    let admin = scope.as_ref().is_some_and(|(c, _)| c.role == Role::Admin);
    if state.env == Env::Production && !admin {
        req = req.disable_introspection();
    }
    let response = match scope {
        Some((ctx, db)) => {
            req = req.data(Scope::new(ctx, db.clone()));
            let mut response = CURRENT_ORG.scope(ctx, state.schema.execute(req)).await;
            // Everything the request did commits together (failed mutations
            // were rolled back to their savepoints already).
            if let Err(e) = db.finish().await {
                tracing::error!(error = ?e, org = %ctx.organization_id, "committing the request failed");
                return refuse(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "internal error");
            }
            let (queries, framing) = db.statements();
            tracing::debug!(queries, framing, org = %ctx.organization_id, "sql statements");
            if state.env != Env::Production {
                response.extensions.insert(
                    "sqlStatements".to_string(),
                    async_graphql::value!({ "queries": queries, "framing": framing }),
                );
            }
            response
        }
        None => state.schema.execute(req).await,
    };
    GraphQLResponse::from(response).into_response()
}
