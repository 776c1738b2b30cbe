//! User management (ADMIN): create, link to an employee, list, update.

use serde_json::json;

use crate::{dual, helpers::*};

const UPDATE_USER: &str =
    "mutation($input: UpdateUserInput!) { updateUser(input: $input) { user { id role isActive } } }";

async fn create_link_and_list(app: TestApp) {
    let org = app.org("acme").await;
    let dev = employee(&app, &org.admin, "E-001", None, None).await;
    let (user_id, token) = user_with_role(&app, &org, "EMPLOYEE", Some(&dev)).await;
    let data = app
        .ok(
            &token,
            "{ me { id email role organization { slug } employee { id employeeCode } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["me"]["id"], json!(user_id));
    assert_eq!(data["me"]["role"], "EMPLOYEE");
    assert_eq!(data["me"]["organization"]["slug"], "acme");
    assert_eq!(data["me"]["employee"]["employeeCode"], "E-001");

    let data = app
        .ok(
            &org.admin,
            "{ users(first: 10) { totalCount edges { node { email role isActive } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["users"]["totalCount"], 2);
    let emails: Vec<_> = data["users"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["email"].as_str().expect("email").to_string())
        .collect();
    assert_eq!(emails, ["admin@acme.test", "employee@acme.test"]);
}

async fn duplicates_and_bad_input_write_nothing(app: TestApp) {
    let org = app.org("acme").await;
    let dev = employee(&app, &org.admin, "E-001", None, None).await;
    user_with_role(&app, &org, "EMPLOYEE", Some(&dev)).await;
    let users_before = app.count("users").await;
    let cases = [
        (
            json!({ "email": "ADMIN@acme.test", "password": "long-enough-1", "role": "HR" }),
            "CONFLICT",
        ),
        (
            json!({ "email": "new@acme.test", "password": "long-enough-1", "role": "HR", "employeeId": dev }),
            "CONFLICT",
        ),
        (
            json!({ "email": "new@acme.test", "password": "short", "role": "HR" }),
            "BAD_USER_INPUT",
        ),
        (
            json!({ "email": "nope", "password": "long-enough-1", "role": "HR" }),
            "BAD_USER_INPUT",
        ),
        (
            json!({ "email": "new@acme.test", "password": "long-enough-1", "role": "HR", "employeeId": uuid::Uuid::now_v7().to_string() }),
            "BAD_USER_INPUT",
        ),
    ];
    for (input, expected) in cases {
        let body = app
            .gql(&org.admin, CREATE_USER, json!({ "input": input.clone() }))
            .await;
        assert_eq!(code(&body), expected, "{input}: {body}");
    }
    assert_eq!(app.count("users").await, users_before);
}

async fn update_role_and_activity(app: TestApp) {
    let org = app.org("acme").await;
    let (id, token) = user_with_role(&app, &org, "MANAGER", None).await;
    let data = app
        .ok(&org.admin, UPDATE_USER, json!({ "input": { "id": id, "role": "HR" } }))
        .await;
    assert_eq!(data["updateUser"]["user"]["role"], "HR");
    let data = app.ok(&token, "{ me { role } }", json!({})).await;
    assert_eq!(data["me"]["role"], "HR");
    let data = app
        .ok(
            &org.admin,
            UPDATE_USER,
            json!({ "input": { "id": id, "isActive": false } }),
        )
        .await;
    assert_eq!(data["updateUser"]["user"]["isActive"], false);
    let (status, body) = app.gql_raw(Some(&token), "{ me { role } }", json!({})).await;
    assert_eq!(status, reqwest::StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "FORBIDDEN");
    let body = app
        .gql(
            &org.admin,
            UPDATE_USER,
            json!({ "input": { "id": uuid::Uuid::now_v7().to_string(), "role": "HR" } }),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND");
}

dual!(
    create_link_and_list,
    duplicates_and_bad_input_write_nothing,
    update_role_and_activity
);
