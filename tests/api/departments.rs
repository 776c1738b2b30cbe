//! Departments: the tree, renames and moves, cycles, deletion rules.

use serde_json::json;

use crate::{dual, helpers::*};

const UPDATE: &str = "mutation($input: UpdateDepartmentInput!) { updateDepartment(input: $input) { department { id name parent { id name } } } }";
const DELETE: &str = "mutation($id: ID!) { deleteDepartment(input: {id: $id}) { deletedDepartmentId } }";

async fn tree_create_move_and_list(app: TestApp) {
    let org = app.org("acme").await;
    let eng = department(&app, &org.admin, "Engineering", None).await;
    let platform = department(&app, &org.admin, "Platform", Some(&eng)).await;
    let sales = department(&app, &org.admin, "Sales", None).await;
    let data = app
        .ok(
            &org.admin,
            "query($id: ID!) { department(id: $id) { name parent { name } } }",
            json!({ "id": platform }),
        )
        .await;
    assert_eq!(
        data["department"],
        json!({ "name": "Platform", "parent": { "name": "Engineering" } })
    );

    let data = app
        .ok(
            &org.admin,
            UPDATE,
            json!({ "input": { "id": platform, "name": "Platform Eng", "parentId": sales } }),
        )
        .await;
    assert_eq!(data["updateDepartment"]["department"]["name"], "Platform Eng");
    assert_eq!(data["updateDepartment"]["department"]["parent"]["name"], "Sales");
    let data = app
        .ok(
            &org.admin,
            UPDATE,
            json!({ "input": { "id": platform, "parentId": null } }),
        )
        .await;
    assert!(data["updateDepartment"]["department"]["parent"].is_null());

    let data = app
        .ok(
            &org.admin,
            "{ departments(first: 10) { totalCount edges { node { name } } } }",
            json!({}),
        )
        .await;
    let names: Vec<_> = data["departments"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["name"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(names, ["Engineering", "Platform Eng", "Sales"]);
    assert_eq!(data["departments"]["totalCount"], 3);
    let body = app
        .gql(&org.admin, "{ departments(first: 101) { totalCount } }", json!({}))
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT");
}

async fn cycles_and_bad_names_are_refused(app: TestApp) {
    let org = app.org("acme").await;
    let a = department(&app, &org.admin, "A", None).await;
    let b = department(&app, &org.admin, "B", Some(&a)).await;
    let c = department(&app, &org.admin, "C", Some(&b)).await;
    for (id, parent) in [(&a, &c), (&a, &a), (&b, &c)] {
        let body = app
            .gql(&org.admin, UPDATE, json!({ "input": { "id": id, "parentId": parent } }))
            .await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{body}");
    }
    let body = app
        .gql(&org.admin, UPDATE, json!({ "input": { "id": a, "name": "  " } }))
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT");
    let data = app
        .ok(
            &org.admin,
            "query($id: ID!) { department(id: $id) { name parent { id } } }",
            json!({ "id": a }),
        )
        .await;
    assert_eq!(data["department"], json!({ "name": "A", "parent": null }));
}

async fn only_empty_departments_can_be_deleted(app: TestApp) {
    let org = app.org("acme").await;
    let eng = department(&app, &org.admin, "Engineering", None).await;
    let platform = department(&app, &org.admin, "Platform", Some(&eng)).await;
    let dev = employee(&app, &org.admin, "E-001", Some(&platform), None).await;

    let body = app.gql(&org.admin, DELETE, json!({ "id": eng })).await;
    assert_eq!(code(&body), "CONFLICT", "has a sub-department: {body}");
    let body = app.gql(&org.admin, DELETE, json!({ "id": platform })).await;
    assert_eq!(code(&body), "CONFLICT", "has a member: {body}");
    assert_eq!(app.count("departments").await, 2);

    app.ok(
        &org.admin,
        "mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employee { id } } }",
        json!({ "input": { "id": dev, "departmentId": null } }),
    )
    .await;
    let data = app.ok(&org.admin, DELETE, json!({ "id": platform })).await;
    assert_eq!(data["deleteDepartment"]["deletedDepartmentId"], json!(platform));
    let data = app
        .ok(
            &org.admin,
            "query($id: ID!) { department(id: $id) { id } }",
            json!({ "id": platform }),
        )
        .await;
    assert!(data["department"].is_null());
    let body = app.gql(&org.admin, DELETE, json!({ "id": platform })).await;
    assert_eq!(code(&body), "NOT_FOUND");
}

dual!(
    tree_create_move_and_list,
    cycles_and_bad_names_are_refused,
    only_empty_departments_can_be_deleted
);
