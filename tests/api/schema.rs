//! The schema contract, limits and the plain HTTP endpoints.

use reqwest::StatusCode;
use serde_json::json;

use crate::{dual, helpers::*};

#[test]
fn committed_schema_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql is committed");
    assert!(
        committed == hrms::graphql::sdl(),
        "schema.graphql is out of date: run `cargo run -- schema > schema.graphql`"
    );
}

async fn health_and_graphiql(app: TestApp) {
    assert_eq!(app.get("/healthz").await, (StatusCode::OK, "ok".to_string()));
    assert_eq!(app.get("/readyz").await, (StatusCode::OK, "ready".to_string()));
    let (status, page) = app.get("/graphql").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.to_lowercase().contains("graphiql"), "GET /graphql serves GraphiQL");
}

async fn public_fields_only_without_token(app: TestApp) {
    let (status, body) = app.gql_raw(None, "{ me { email } }", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(code(&body), "UNAUTHENTICATED");
    assert!(body["data"].is_null(), "{body}");
    let (_, body) = app
        .gql_raw(None, "{ employees(first: 1) { totalCount } }", json!({}))
        .await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    let (_, body) = app
        .gql_raw(
            None,
            "mutation { createDepartment(input: {name: \"X\"}) { department { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
}

async fn depth_limit_refuses_deep_queries(app: TestApp) {
    let org = app.org("acme").await;
    let deep = "{ employees(first: 1) { edges { node { manager { manager { manager { manager { manager { manager { manager { manager { manager { manager { id } } } } } } } } } } } } } }";
    let body = app.gql(&org.admin, deep, json!({})).await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("nested too deep"),
        "{body}"
    );
    // GraphiQL's introspection query must stay within the limits.
    let introspection = "query { __schema { types { name fields { name type { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind } } } } } } } } }";
    let data = app.ok(&org.admin, introspection, json!({})).await;
    assert!(data["__schema"]["types"].as_array().is_some_and(|t| t.len() > 10));
}

async fn errors_never_show_internal_text(app: TestApp) {
    let org = app.org("acme").await;
    // Malformed input is refused with a clear code, not a database message.
    let body = app
        .gql(&org.admin, "{ employees(first: 101) { totalCount } }", json!({}))
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT");
    let body = app
        .gql(
            &org.admin,
            "{ employees(first: 5, after: \"not-a-cursor\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT");
    let text = body.to_string().to_lowercase();
    for leak in ["sql", "sqlite", "postgres", "constraint", "select "] {
        assert!(!text.contains(leak), "{leak} in {body}");
    }
}

dual!(
    health_and_graphiql,
    public_fields_only_without_token,
    depth_limit_refuses_deep_queries,
    errors_never_show_internal_text
);
