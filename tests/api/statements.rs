//! The SQL statement bound: a nested page costs the same number of
//! statements whatever its size (dataloaders batch every relation).

use serde_json::{Value, json};

use crate::{dual, helpers::*};

const NESTED: &str = "query($n: Int!) { employees(first: $n) { edges { node { employeeCode department { name } manager { employeeCode } directReports { employeeCode } } } } }";

fn statements(body: &Value) -> (u64, u64) {
    let s = &body["extensions"]["sqlStatements"];
    (
        s["queries"]
            .as_u64()
            .unwrap_or_else(|| panic!("no statement count: {body}")),
        s["framing"].as_u64().unwrap_or_default(),
    )
}

async fn nested_page_statement_count_does_not_grow(app: TestApp) {
    let org = app.org("acme").await;
    let eng = department(&app, &org.admin, "Engineering", None).await;
    let sales = department(&app, &org.admin, "Sales", None).await;
    let boss = employee(&app, &org.admin, "E-0000", Some(&eng), None).await;
    for i in 1..=104 {
        let dept = if i % 2 == 0 { &eng } else { &sales };
        employee(&app, &org.admin, &format!("E-{i:04}"), Some(dept), Some(&boss)).await;
    }
    // Warm the status cache so both requests do the same work.
    app.ok(&org.admin, "{ me { id } }", json!({})).await;

    let auth = Some(format!("Bearer {}", org.admin));
    let (_, small) = app.gql_full(auth.clone(), NESTED, json!({ "n": 5 })).await;
    let (_, large) = app.gql_full(auth, NESTED, json!({ "n": 100 })).await;
    assert!(
        small.get("errors").is_none() && large.get("errors").is_none(),
        "{small} {large}"
    );
    assert_eq!(small["data"]["employees"]["edges"].as_array().map(Vec::len), Some(5));
    assert_eq!(large["data"]["employees"]["edges"].as_array().map(Vec::len), Some(100));
    let (q_small, f_small) = statements(&small);
    let (q_large, f_large) = statements(&large);
    assert_eq!(
        (q_small, f_small),
        (q_large, f_large),
        "statements must not grow with the page size"
    );
    // One page select and one batch per relation (department, manager,
    // direct reports).
    assert_eq!(q_large, 4, "queries for a nested page: {large}");
    match app.backend {
        // BEGIN, set_config, COMMIT.
        Backend::Postgres => assert_eq!(f_large, 3),
        Backend::Sqlite => assert_eq!(f_large, 0),
    }
}

dual!(nested_page_statement_count_does_not_grow);
