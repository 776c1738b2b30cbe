//! The SQL statement bound: a nested page costs the same number of
//! statements whatever its size (every relation is batched, attendance too).

use hrms::seed::SEED_PASSWORD;
use serde_json::{Value, json};

use crate::{dual, helpers::*};

/// Q2 of the benchmark: a page with department, manager, direct reports
/// and the last 7 attendance records of each employee.
const NESTED: &str = "query($n: Int!) { employees(first: $n) { edges { node { employeeCode department { name } manager { employeeCode } directReports { employeeCode } attendance(last: 7) { date status } } } } }";

fn statements(body: &Value) -> (u64, u64) {
    let s = &body["extensions"]["sqlStatements"];
    (
        s["queries"]
            .as_u64()
            .unwrap_or_else(|| panic!("no statement count: {body}")),
        s["framing"].as_u64().unwrap_or_default(),
    )
}

async fn seeded(app: &TestApp, employees: usize, days: u64) -> String {
    seed(app, 1, employees, days).await;
    app.token("seed-org-1", "admin@seed-org-1.example", SEED_PASSWORD).await
}

async fn nested_page_statement_count_does_not_grow(app: TestApp) {
    let token = seeded(&app, 120, 10).await;
    // Warm the status cache so both requests do the same work.
    app.ok(&token, "{ me { id } }", json!({})).await;

    let auth = Some(format!("Bearer {token}"));
    let (_, small) = app.gql_full(auth.clone(), NESTED, json!({ "n": 5 })).await;
    let (_, large) = app.gql_full(auth, NESTED, json!({ "n": 100 })).await;
    assert!(
        small.get("errors").is_none() && large.get("errors").is_none(),
        "{small} {large}"
    );
    let edges = large["data"]["employees"]["edges"].as_array().expect("edges");
    assert_eq!(small["data"]["employees"]["edges"].as_array().map(Vec::len), Some(5));
    assert_eq!(edges.len(), 100);
    assert!(
        edges
            .iter()
            .all(|e| e["node"]["attendance"].as_array().map(Vec::len) == Some(7))
    );
    let (q_small, f_small) = statements(&small);
    let (q_large, f_large) = statements(&large);
    assert_eq!(
        (q_small, f_small),
        (q_large, f_large),
        "statements must not grow with the page size"
    );
    // One page select and one batch per relation (department, manager,
    // direct reports, attendance).
    assert_eq!(q_large, 5, "queries for a nested page");
    match app.backend {
        // BEGIN, set_config, COMMIT.
        Backend::Postgres => assert_eq!(f_large, 3),
        Backend::Sqlite => assert_eq!(f_large, 0),
    }
}

async fn attendance_is_newest_first_and_bounded(app: TestApp) {
    let token = seeded(&app, 12, 10).await;
    let q = "query($last: Int) { employees(first: 3) { edges { node { employeeCode attendance(last: $last) { date status checkIn checkOut } } } } }";
    let data = app.ok(&token, q, json!({ "last": 4 })).await;
    for edge in data["employees"]["edges"].as_array().expect("edges") {
        let days: Vec<&str> = edge["node"]["attendance"]
            .as_array()
            .expect("attendance")
            .iter()
            .map(|a| a["date"].as_str().expect("date"))
            .collect();
        assert_eq!(days.len(), 4);
        assert!(days.windows(2).all(|w| w[0] > w[1]), "newest first: {days:?}");
    }
    // Without an argument: the last 7; more than exist: all 10.
    let default = "{ employees(first: 1) { edges { node { attendance { date } } } } }";
    let data = app.ok(&token, default, json!({})).await;
    assert_eq!(
        data["employees"]["edges"][0]["node"]["attendance"]
            .as_array()
            .map(Vec::len),
        Some(7)
    );
    let data = app.ok(&token, q, json!({ "last": 50 })).await;
    assert_eq!(
        data["employees"]["edges"][0]["node"]["attendance"]
            .as_array()
            .map(Vec::len),
        Some(10)
    );
    let body = app.gql(&token, q, json!({ "last": 101 })).await;
    assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    // Another organization's admin sees none of it.
    let other = app.org("globex").await;
    let data = app
        .ok(&other.admin, "{ employees(first: 5) { totalCount } }", json!({}))
        .await;
    assert_eq!(data["employees"]["totalCount"], 0);
}

async fn seed_builds_a_manager_tree(app: TestApp) {
    let token = seeded(&app, 25, 3).await;
    let data = app
        .ok(
            &token,
            "{ employees(first: 100) { totalCount edges { node { employeeCode manager { employeeCode } directReports { employeeCode } department { name } } } } departments(first: 20) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(data["employees"]["totalCount"], 25);
    assert_eq!(data["departments"]["totalCount"], 10);
    let edges = data["employees"]["edges"].as_array().expect("edges");
    assert!(edges[0]["node"]["manager"].is_null(), "the root has no manager");
    assert_eq!(edges[0]["node"]["directReports"].as_array().map(Vec::len), Some(10));
    assert_eq!(edges[11]["node"]["manager"]["employeeCode"], "E000001");
    assert!(edges.iter().all(|e| !e["node"]["department"].is_null()));
    // A second run adds organizations after the existing ones.
    seed(&app, 1, 2, 1).await;
    let second = app.token("seed-org-2", "admin@seed-org-2.example", SEED_PASSWORD).await;
    let data = app
        .ok(&second, "{ employees(first: 10) { totalCount } }", json!({}))
        .await;
    assert_eq!(data["employees"]["totalCount"], 2);
    assert_eq!(app.count("attendance_records").await, 25 * 3 + 2);
}

dual!(
    nested_page_statement_count_does_not_grow,
    attendance_is_newest_first_and_bounded,
    seed_builds_a_manager_tree
);
