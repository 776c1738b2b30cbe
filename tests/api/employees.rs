//! Employees: create, read, update, terminate; pagination, filters and
//! ordering; validation and conflicts; failed mutations write nothing.

use serde_json::{Value, json};

use crate::{dual, helpers::*};

const UPDATE: &str = "mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employee { id employeeCode firstName jobTitle status department { id } manager { id } } } }";
const TERMINATE: &str = "mutation($id: ID!) { terminateEmployee(input: {id: $id}) { employee { id status } } }";

fn codes(data: &Value, field: &str) -> Vec<String> {
    data[field]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["employeeCode"].as_str().expect("code").to_string())
        .collect()
}

async fn create_and_read_with_relations(app: TestApp) {
    let org = app.org("acme").await;
    let eng = department(&app, &org.admin, "Engineering", None).await;
    let boss = employee(&app, &org.admin, "E-001", Some(&eng), None).await;
    let dev = employee(&app, &org.admin, "E-002", Some(&eng), Some(&boss)).await;
    let data = app
        .ok(
            &org.admin,
            "query($id: ID!) { employee(id: $id) { employeeCode fullName hireDate status department { name employees { employeeCode } } manager { employeeCode directReports { employeeCode } } } }",
            json!({ "id": dev }),
        )
        .await;
    let e = &data["employee"];
    assert_eq!(e["employeeCode"], "E-002");
    assert_eq!(e["fullName"], "FirstE-002 LastE-002");
    assert_eq!(e["hireDate"], "2024-01-15");
    assert_eq!(e["status"], "ACTIVE");
    assert_eq!(e["department"]["name"], "Engineering");
    assert_eq!(
        e["department"]["employees"],
        json!([{"employeeCode": "E-001"}, {"employeeCode": "E-002"}])
    );
    assert_eq!(e["manager"]["employeeCode"], "E-001");
    assert_eq!(e["manager"]["directReports"], json!([{"employeeCode": "E-002"}]));
    // The same object through node(id:).
    let data = app
        .ok(
            &org.admin,
            "query($id: ID!) { node(id: $id) { id ... on Employee { employeeCode } } }",
            json!({ "id": dev }),
        )
        .await;
    assert_eq!(data["node"]["employeeCode"], "E-002");
    assert_eq!(data["node"]["id"], json!(dev));
}

async fn pagination_forward_and_backward(app: TestApp) {
    let org = app.org("acme").await;
    for i in 1..=7 {
        employee(&app, &org.admin, &format!("E-{i:03}"), None, None).await;
    }
    let q = "query($first: Int, $after: String, $last: Int, $before: String) { employees(first: $first, after: $after, last: $last, before: $before) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { employeeCode } } } }";
    let page1 = app.ok(&org.admin, q, json!({ "first": 3 })).await;
    assert_eq!(codes(&page1, "employees"), ["E-001", "E-002", "E-003"]);
    assert_eq!(page1["employees"]["totalCount"], 7);
    assert_eq!(page1["employees"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(page1["employees"]["pageInfo"]["hasPreviousPage"], false);
    let after = page1["employees"]["pageInfo"]["endCursor"].clone();
    let page2 = app.ok(&org.admin, q, json!({ "first": 3, "after": after })).await;
    assert_eq!(codes(&page2, "employees"), ["E-004", "E-005", "E-006"]);
    assert_eq!(page2["employees"]["pageInfo"]["hasPreviousPage"], true);
    let after = page2["employees"]["pageInfo"]["endCursor"].clone();
    let page3 = app.ok(&org.admin, q, json!({ "first": 3, "after": after })).await;
    assert_eq!(codes(&page3, "employees"), ["E-007"]);
    assert_eq!(page3["employees"]["pageInfo"]["hasNextPage"], false);

    let tail = app.ok(&org.admin, q, json!({ "last": 2 })).await;
    assert_eq!(codes(&tail, "employees"), ["E-006", "E-007"]);
    let before = tail["employees"]["pageInfo"]["startCursor"].clone();
    let prev = app.ok(&org.admin, q, json!({ "last": 2, "before": before })).await;
    assert_eq!(codes(&prev, "employees"), ["E-004", "E-005"]);

    for bad in [
        json!({ "first": 101 }),
        json!({ "first": -1 }),
        json!({ "last": 101 }),
        json!({ "first": 5, "after": "garbage" }),
    ] {
        let body = app.gql(&org.admin, q, bad.clone()).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{bad}: {body}");
    }
    let max = app.ok(&org.admin, q, json!({ "first": 100 })).await;
    assert_eq!(codes(&max, "employees").len(), 7);
}

async fn filters_and_ordering(app: TestApp) {
    let org = app.org("acme").await;
    let eng = department(&app, &org.admin, "Engineering", None).await;
    let sales = department(&app, &org.admin, "Sales", None).await;
    let a = employee(&app, &org.admin, "E-001", Some(&eng), None).await;
    employee(&app, &org.admin, "E-002", Some(&sales), None).await;
    employee(&app, &org.admin, "E-003", Some(&eng), None).await;
    app.ok(
        &org.admin,
        UPDATE,
        json!({ "input": { "id": a, "status": "ON_LEAVE", "firstName": "Zelda_%" } }),
    )
    .await;
    let q = "query($filter: EmployeeFilter, $orderBy: EmployeeOrder) { employees(first: 50, filter: $filter, orderBy: $orderBy) { totalCount edges { node { employeeCode } } } }";
    let by_dept = app
        .ok(&org.admin, q, json!({ "filter": { "departmentId": eng } }))
        .await;
    assert_eq!(codes(&by_dept, "employees"), ["E-001", "E-003"]);
    assert_eq!(by_dept["employees"]["totalCount"], 2);
    let on_leave = app
        .ok(&org.admin, q, json!({ "filter": { "status": "ON_LEAVE" } }))
        .await;
    assert_eq!(codes(&on_leave, "employees"), ["E-001"]);
    // Case-insensitive; % and _ match themselves.
    let search = app
        .ok(&org.admin, q, json!({ "filter": { "search": "zELDA_%" } }))
        .await;
    assert_eq!(codes(&search, "employees"), ["E-001"]);
    let wildcard = app.ok(&org.admin, q, json!({ "filter": { "search": "%" } })).await;
    assert_eq!(codes(&wildcard, "employees"), ["E-001"]);
    let desc = app
        .ok(
            &org.admin,
            q,
            json!({ "orderBy": { "field": "EMPLOYEE_CODE", "direction": "DESC" } }),
        )
        .await;
    assert_eq!(codes(&desc, "employees"), ["E-003", "E-002", "E-001"]);
}

async fn update_and_terminate(app: TestApp) {
    let org = app.org("acme").await;
    let eng = department(&app, &org.admin, "Engineering", None).await;
    let boss = employee(&app, &org.admin, "E-001", None, None).await;
    let dev = employee(&app, &org.admin, "E-002", None, None).await;
    let data = app
        .ok(
            &org.admin,
            UPDATE,
            json!({ "input": { "id": dev, "jobTitle": "Staff Engineer", "departmentId": eng, "managerId": boss } }),
        )
        .await;
    let e = &data["updateEmployee"]["employee"];
    assert_eq!(e["jobTitle"], "Staff Engineer");
    assert_eq!(e["department"]["id"], json!(eng));
    assert_eq!(e["manager"]["id"], json!(boss));
    // null clears a reference; an absent field leaves it.
    let data = app
        .ok(&org.admin, UPDATE, json!({ "input": { "id": dev, "managerId": null } }))
        .await;
    assert!(data["updateEmployee"]["employee"]["manager"].is_null());
    assert_eq!(data["updateEmployee"]["employee"]["department"]["id"], json!(eng));

    // A management cycle is refused.
    app.ok(&org.admin, UPDATE, json!({ "input": { "id": dev, "managerId": boss } }))
        .await;
    let body = app
        .gql(&org.admin, UPDATE, json!({ "input": { "id": boss, "managerId": dev } }))
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT");
    let body = app
        .gql(
            &org.admin,
            UPDATE,
            json!({ "input": { "id": boss, "managerId": boss } }),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT");

    // Termination also deactivates the employee's login.
    let (_, dev_token) = user_with_role(&app, &org, "EMPLOYEE", Some(&dev)).await;
    app.ok(&dev_token, "{ me { email } }", json!({})).await;
    let data = app.ok(&org.admin, TERMINATE, json!({ "id": dev })).await;
    assert_eq!(data["terminateEmployee"]["employee"]["status"], "TERMINATED");
    let (status, _) = app.gql_raw(Some(&dev_token), "{ me { email } }", json!({})).await;
    assert_eq!(status, reqwest::StatusCode::FORBIDDEN);
    // TERMINATED only through terminateEmployee.
    let body = app
        .gql(
            &org.admin,
            UPDATE,
            json!({ "input": { "id": boss, "status": "TERMINATED" } }),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT");
}

async fn duplicate_code_is_conflict_and_writes_nothing(app: TestApp) {
    let org = app.org("acme").await;
    employee(&app, &org.admin, "E-001", None, None).await;
    let other = employee(&app, &org.admin, "E-002", None, None).await;
    let before = app.count("employees").await;
    let input = json!({ "input": {
        "employeeCode": "E-001", "firstName": "A", "lastName": "B", "email": "a@b.co",
        "jobTitle": "T", "hireDate": "2024-01-01" } });
    let body = app.gql(&org.admin, CREATE_EMPLOYEE, input).await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
    assert!(
        !body.to_string().to_lowercase().contains("unique"),
        "no database text: {body}"
    );
    let body = app
        .gql(
            &org.admin,
            UPDATE,
            json!({ "input": { "id": other, "employeeCode": "E-001" } }),
        )
        .await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
    assert_eq!(app.count("employees").await, before);
}

async fn invalid_input_is_refused_and_writes_nothing(app: TestApp) {
    let org = app.org("acme").await;
    let dev = employee(&app, &org.admin, "E-001", None, None).await;
    let before = app.count("employees").await;
    let base = json!({ "employeeCode": "E-9", "firstName": "A", "lastName": "B", "email": "a@b.co", "jobTitle": "T", "hireDate": "2024-01-01" });
    for (field, value) in [
        ("employeeCode", json!("has space")),
        ("firstName", json!("   ")),
        ("email", json!("not-an-email")),
        ("departmentId", json!("not-an-id")),
        ("managerId", json!(uuid::Uuid::now_v7().to_string())),
    ] {
        let mut input = base.clone();
        input[field] = value;
        let body = app.gql(&org.admin, CREATE_EMPLOYEE, json!({ "input": input })).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{field}: {body}");
    }
    assert_eq!(app.count("employees").await, before);
    // One valid change with one bad reference: nothing changes.
    let body = app
        .gql(
            &org.admin,
            UPDATE,
            json!({ "input": { "id": dev, "jobTitle": "Changed", "managerId": uuid::Uuid::now_v7().to_string() } }),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT");
    let data = app
        .ok(
            &org.admin,
            "query($id: ID!) { employee(id: $id) { jobTitle } }",
            json!({ "id": dev }),
        )
        .await;
    assert_eq!(data["employee"]["jobTitle"], "Engineer");
    // Unknown target.
    let body = app
        .gql(
            &org.admin,
            UPDATE,
            json!({ "input": { "id": uuid::Uuid::now_v7().to_string(), "jobTitle": "X" } }),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND");
}

dual!(
    create_and_read_with_relations,
    pagination_forward_and_backward,
    filters_and_ordering,
    update_and_terminate,
    duplicate_code_is_conflict_and_writes_nothing,
    invalid_input_is_refused_and_writes_nothing
);
