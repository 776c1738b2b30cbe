//! Tenant isolation: an admin of one organization can neither read,
//! reference, update nor delete anything of another organization, through
//! any field or mutation, and every answer about another organization's row
//! is exactly the answer about a row that exists nowhere (so nothing reveals
//! that it exists).
//!
//! Two organizations, acme and globex, are built the same way through the
//! API (a department tree, employees with managers, users linked to
//! employees); each test then uses one organization's token with the other
//! organization's ids, and compares every answer with the answer for a fresh
//! random id, given both as a global id and as a bare UUID.

use std::collections::{BTreeMap, BTreeSet};

use hrms::{
    entity::{attendance_record, employee},
    tenancy::OrgDb,
};
use reqwest::StatusCode;
use sea_orm::{EntityTrait, Order};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{dual, helpers::*};

// ---------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------

/// The bare-UUID form of a global id (accepted by every `id` argument).
fn bare(global: &str) -> String {
    split_gid(global).1.to_string()
}

/// The ids of a connection's (or a list's) nodes, in order.
fn node_ids(list: &Value) -> Vec<String> {
    let items = list.get("nodes").unwrap_or(list);
    items
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|n| n["id"].as_str().unwrap_or_else(|| panic!("no id in {n}")).to_string())
        .collect()
}

fn set<'a>(ids: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
    ids.into_iter().cloned().collect()
}

/// The node of a connection with this id.
fn find<'a>(list: &'a Value, id: &str) -> &'a Value {
    list["nodes"]
        .as_array()
        .and_then(|nodes| nodes.iter().find(|n| n["id"] == id))
        .unwrap_or_else(|| panic!("{id} not in {list}"))
}

// ---------------------------------------------------------------------------
// The two organizations
// ---------------------------------------------------------------------------

/// One organization as built by [`side`]:
///
/// ```text
/// Engineering            boss      (ACTIVE, user: MANAGER)
/// └── Platform           worker    (manager: boss)
///                        linked    (manager: worker, user: EMPLOYEE)
/// Empty (no members)     free      (no department, no manager, no user)
///                        shared    (ON_LEAVE, code SHARED-1 in both orgs)
/// ```
/// plus an ADMIN (`org.admin`) and an HR user without employees.
struct Side {
    org: Org,
    title: String,
    /// A last name only this organization's employees have.
    surname: String,
    org_gid: String,
    admin_id: String,
    hr_id: String,
    hr: String,
    manager_id: String,
    manager: String,
    staff_id: String,
    staff: String,
    engineering: String,
    platform: String,
    empty: String,
    boss: String,
    worker: String,
    linked: String,
    free: String,
    shared: String,
}

impl Side {
    fn employees(&self) -> BTreeSet<String> {
        set([&self.boss, &self.worker, &self.linked, &self.free, &self.shared])
    }

    fn departments(&self) -> BTreeSet<String> {
        set([&self.engineering, &self.platform, &self.empty])
    }

    fn users(&self) -> BTreeSet<String> {
        set([&self.admin_id, &self.hr_id, &self.manager_id, &self.staff_id])
    }

    /// Every id of this organization, its own included.
    fn all(&self) -> BTreeSet<String> {
        let mut all = self.employees();
        all.extend(self.departments());
        all.extend(self.users());
        all.insert(self.org_gid.clone());
        all
    }

    fn code(&self, n: u32) -> String {
        format!("{}-{n:03}", self.org.slug.to_uppercase())
    }
}

/// Create an employee as `token` with the given code and names; `extra`
/// adds or overrides input fields. Returns the id.
async fn hire(app: &TestApp, token: &str, code: &str, first: &str, last: &str, extra: Value) -> String {
    let mut input = json!({
        "employeeCode": code,
        "firstName": first,
        "lastName": last,
        "email": format!("{}@example.com", code.to_lowercase()),
        "jobTitle": "Engineer",
        "hireDate": "2024-01-15",
    });
    for (k, v) in extra.as_object().expect("extra is an object") {
        input[k] = v.clone();
    }
    let data = app.ok(token, CREATE_EMPLOYEE, json!({ "input": input })).await;
    data["createEmployee"]["employee"]["id"]
        .as_str()
        .expect("employee id")
        .to_string()
}

async fn side(app: &TestApp, slug: &str, title: &str, surname: &str) -> Side {
    let org = app.org(slug).await;
    let me = app.ok(&org.admin, "{ me { id } organization { id } }", json!({})).await;
    let admin_id = me["me"]["id"].as_str().expect("admin id").to_string();
    let org_gid = me["organization"]["id"].as_str().expect("organization id").to_string();
    assert_eq!(split_gid(&org_gid), ("Organization".to_string(), org.id));

    let t = org.admin.clone();
    let engineering = department(app, &t, "Engineering", None).await;
    let platform = department(app, &t, "Platform", Some(&engineering)).await;
    let empty = department(app, &t, "Empty", None).await;

    let p = slug.to_uppercase();
    let boss = hire(
        app,
        &t,
        &format!("{p}-001"),
        &format!("{title}Boss"),
        surname,
        json!({ "departmentId": engineering }),
    )
    .await;
    let worker = hire(
        app,
        &t,
        &format!("{p}-002"),
        &format!("{title}Worker"),
        surname,
        json!({ "departmentId": platform, "managerId": boss }),
    )
    .await;
    let linked = hire(
        app,
        &t,
        &format!("{p}-003"),
        &format!("{title}Linked"),
        surname,
        json!({ "departmentId": platform, "managerId": worker }),
    )
    .await;
    let free = hire(
        app,
        &t,
        &format!("{p}-004"),
        &format!("{title}Free"),
        surname,
        json!({}),
    )
    .await;
    // The same code and email in both organizations.
    let shared = hire(app, &t, "SHARED-1", "Pat", "Shared", json!({ "status": "ON_LEAVE" })).await;

    let (hr_id, hr) = user_with_role(app, &org, "HR", None).await;
    let (manager_id, manager) = user_with_role(app, &org, "MANAGER", Some(&boss)).await;
    let (staff_id, staff) = user_with_role(app, &org, "EMPLOYEE", Some(&linked)).await;

    Side {
        org,
        title: title.to_string(),
        surname: surname.to_string(),
        org_gid,
        admin_id,
        hr_id,
        hr,
        manager_id,
        manager,
        staff_id,
        staff,
        engineering,
        platform,
        empty,
        boss,
        worker,
        linked,
        free,
        shared,
    }
}

/// acme and globex, built identically (different names).
async fn world(app: &TestApp) -> (Side, Side) {
    let acme = side(app, "acme", "Acme", "Roadrunner").await;
    let globex = side(app, "globex", "Globex", "Scorpio").await;
    (acme, globex)
}

// ---------------------------------------------------------------------------
// "Same as an id that does not exist"
// ---------------------------------------------------------------------------

/// Run `query` with `vars(id)` for: a fresh global id of the same kind that
/// exists nowhere, its bare UUID, the foreign global id and its bare UUID.
/// All four answers (HTTP status and the whole body: data, error message,
/// code, path) must be identical. Returns that answer.
async fn same_as_missing(
    app: &TestApp,
    token: &str,
    query: &str,
    foreign: &str,
    vars: impl Fn(&str) -> Value,
) -> Value {
    let (kind, _) = split_gid(foreign);
    let missing = gid(&kind, Uuid::now_v7());
    let mut answers = Vec::new();
    for id in [missing.clone(), bare(&missing), foreign.to_string(), bare(foreign)] {
        let (status, body) = app.gql_raw(Some(token), query, vars(&id)).await;
        answers.push((id, status, body));
    }
    let (missing_id, status, body) = &answers[0];
    for (id, s, b) in &answers[1..] {
        assert_eq!(
            (s, b),
            (status, body),
            "the answer for {id} differs from the answer for {missing_id}, which does not exist\nquery: {query}"
        );
    }
    assert_eq!(*status, StatusCode::OK, "{body}");
    body.clone()
}

/// [`same_as_missing`], and the answer is a single error with `expected`
/// code and no data.
async fn refused(
    app: &TestApp,
    token: &str,
    query: &str,
    foreign: &str,
    expected: &str,
    vars: impl Fn(&str) -> Value,
) -> Value {
    let body = same_as_missing(app, token, query, foreign, vars).await;
    assert_eq!(code(&body), expected, "query: {query}\n{body}");
    assert!(body["data"].is_null(), "{body}");
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{body}");
    body
}

/// Two bodies for different inputs are identical.
fn assert_same(a: &Value, b: &Value, what: &str) {
    assert_eq!(a, b, "{what}: the answers differ");
}

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

const EMPLOYEE_BY_ID: &str =
    "query($id: ID!) { employee(id: $id) { id firstName manager { id } department { id } directReports { id } } }";
const DEPARTMENT_BY_ID: &str = "query($id: ID!) { department(id: $id) { id name parent { id } employees { id } } }";
const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id } }";
const EMPLOYEES: &str =
    "query($first: Int, $after: String, $last: Int, $filter: EmployeeFilter, $orderBy: EmployeeOrder) {
    employees(first: $first, after: $after, last: $last, filter: $filter, orderBy: $orderBy) {
        totalCount nodes { id } pageInfo { hasNextPage endCursor }
    }
}";
const DEPARTMENTS: &str = "query($first: Int, $after: String, $last: Int) {
    departments(first: $first, after: $after, last: $last) {
        totalCount nodes { id } pageInfo { hasNextPage endCursor }
    }
}";
const USERS: &str = "query($first: Int, $after: String) {
    users(first: $first, after: $after) {
        totalCount nodes { id email } pageInfo { hasNextPage endCursor }
    }
}";

/// By-id lookups: the viewer's own ids resolve (a control), the other
/// organization's answer `null` exactly like ids that exist nowhere.
async fn lookups(app: &TestApp, viewer: &Side, other: &Side) {
    let t = &viewer.org.admin;
    for id in viewer.employees() {
        for form in [id.clone(), bare(&id)] {
            let data = app.ok(t, EMPLOYEE_BY_ID, json!({ "id": form })).await;
            assert_eq!(data["employee"]["id"], id.as_str(), "{data}");
        }
    }
    for id in viewer.departments() {
        for form in [id.clone(), bare(&id)] {
            let data = app.ok(t, DEPARTMENT_BY_ID, json!({ "id": form })).await;
            assert_eq!(data["department"]["id"], id.as_str(), "{data}");
        }
    }
    for id in viewer.all() {
        let data = app.ok(t, NODE, json!({ "id": id })).await;
        assert_eq!(data["node"]["id"], id.as_str(), "{data}");
    }

    for id in other.employees() {
        let body = same_as_missing(app, t, EMPLOYEE_BY_ID, &id, |i| json!({ "id": i })).await;
        assert_eq!(body, json!({ "data": { "employee": null } }));
    }
    for id in other.departments() {
        let body = same_as_missing(app, t, DEPARTMENT_BY_ID, &id, |i| json!({ "id": i })).await;
        assert_eq!(body, json!({ "data": { "department": null } }));
    }
    // Employee, Department, User and Organization ids.
    for id in other.all() {
        let body = same_as_missing(app, t, NODE, &id, |i| json!({ "id": i })).await;
        assert_eq!(body, json!({ "data": { "node": null } }));
    }

    // Other roles of the viewer's organization: the same.
    for token in [&viewer.hr, &viewer.staff] {
        let body = same_as_missing(app, token, EMPLOYEE_BY_ID, &other.boss, |i| json!({ "id": i })).await;
        assert_eq!(body, json!({ "data": { "employee": null } }));
        let body = same_as_missing(app, token, NODE, &other.platform, |i| json!({ "id": i })).await;
        assert_eq!(body, json!({ "data": { "node": null } }));
        let body = same_as_missing(app, token, NODE, &other.org_gid, |i| json!({ "id": i })).await;
        assert_eq!(body, json!({ "data": { "node": null } }));
    }
}

/// Lists and their counts hold exactly the viewer's rows, however they are
/// paged, ordered or filtered.
async fn lists(app: &TestApp, viewer: &Side, other: &Side) {
    let t = &viewer.org.admin;

    // Employees: one page, backwards, page by page, in every order.
    let data = app.ok(t, EMPLOYEES, json!({ "first": 100 })).await;
    let got = node_ids(&data["employees"]);
    assert_eq!(got.len(), 5, "{data}");
    assert_eq!(set(&got), viewer.employees(), "{data}");
    assert_eq!(data["employees"]["totalCount"], 5);
    let data = app.ok(t, EMPLOYEES, json!({ "last": 100 })).await;
    assert_eq!(set(&node_ids(&data["employees"])), viewer.employees(), "{data}");
    assert_eq!(data["employees"]["totalCount"], 5);
    let data = app.ok(t, EMPLOYEES, json!({})).await;
    assert_eq!(set(&node_ids(&data["employees"])), viewer.employees(), "{data}");
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = app.ok(t, EMPLOYEES, json!({ "first": 2, "after": after })).await;
        assert_eq!(data["employees"]["totalCount"], 5, "{data}");
        paged.extend(node_ids(&data["employees"]));
        if data["employees"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = data["employees"]["pageInfo"]["endCursor"].as_str().map(str::to_string);
        assert!(paged.len() < 10, "paging does not end: {paged:?}");
    }
    assert_eq!(paged.len(), 5, "{paged:?}");
    assert_eq!(set(&paged), viewer.employees());
    for field in ["EMPLOYEE_CODE", "LAST_NAME", "FIRST_NAME", "HIRE_DATE", "CREATED_AT"] {
        for direction in ["ASC", "DESC"] {
            let data = app
                .ok(
                    t,
                    EMPLOYEES,
                    json!({ "first": 100, "orderBy": { "field": field, "direction": direction } }),
                )
                .await;
            assert_eq!(
                set(&node_ids(&data["employees"])),
                viewer.employees(),
                "{field} {direction}: {data}"
            );
            assert_eq!(data["employees"]["totalCount"], 5);
        }
    }

    // Filters.
    let data = app
        .ok(
            t,
            EMPLOYEES,
            json!({ "first": 100, "filter": { "status": "ON_LEAVE" } }),
        )
        .await;
    assert_eq!(node_ids(&data["employees"]), vec![viewer.shared.clone()], "{data}");
    assert_eq!(data["employees"]["totalCount"], 1);
    let data = app
        .ok(t, EMPLOYEES, json!({ "first": 100, "filter": { "status": "ACTIVE" } }))
        .await;
    assert_eq!(data["employees"]["totalCount"], 4, "{data}");
    let data = app
        .ok(
            t,
            EMPLOYEES,
            json!({ "first": 100, "filter": { "departmentId": viewer.platform } }),
        )
        .await;
    assert_eq!(
        node_ids(&data["employees"]),
        vec![viewer.worker.clone(), viewer.linked.clone()],
        "{data}"
    );
    for dept in [&other.platform, &other.engineering, &other.empty] {
        let body = same_as_missing(
            app,
            t,
            EMPLOYEES,
            dept,
            |i| json!({ "first": 100, "filter": { "departmentId": i } }),
        )
        .await;
        assert!(body.get("errors").is_none(), "{body}");
        assert_eq!(body["data"]["employees"]["totalCount"], 0, "{body}");
        assert_eq!(node_ids(&body["data"]["employees"]), Vec::<String>::new());
    }
    // Searches for what only the other organization has find nothing,
    // exactly like a search for what nobody has.
    let nobody = app
        .gql(
            t,
            EMPLOYEES,
            json!({ "first": 100, "filter": { "search": "Nobody-Has-This-Name" } }),
        )
        .await;
    assert_eq!(nobody["data"]["employees"]["totalCount"], 0, "{nobody}");
    for needle in [
        other.surname.clone(),
        format!("{}Boss", other.title),
        other.code(1),
        format!("{}@example.com", other.code(2).to_lowercase()),
    ] {
        let body = app
            .gql(t, EMPLOYEES, json!({ "first": 100, "filter": { "search": needle } }))
            .await;
        assert_same(&body, &nobody, &format!("search {needle}"));
    }
    let body = app
        .gql(
            t,
            EMPLOYEES,
            json!({ "first": 100, "filter": { "search": other.surname, "departmentId": viewer.platform } }),
        )
        .await;
    assert_same(&body, &nobody, "search with a department filter");
    // What both have: only the viewer's.
    let data = app
        .ok(
            t,
            EMPLOYEES,
            json!({ "first": 100, "filter": { "search": "shared-1" } }),
        )
        .await;
    assert_eq!(node_ids(&data["employees"]), vec![viewer.shared.clone()], "{data}");
    let data = app
        .ok(
            t,
            EMPLOYEES,
            json!({ "first": 100, "filter": { "search": viewer.surname } }),
        )
        .await;
    assert_eq!(data["employees"]["totalCount"], 4, "{data}");

    // Departments.
    let data = app.ok(t, DEPARTMENTS, json!({ "first": 100 })).await;
    let got = node_ids(&data["departments"]);
    assert_eq!(got.len(), 3, "{data}");
    assert_eq!(set(&got), viewer.departments());
    assert_eq!(data["departments"]["totalCount"], 3);
    let data = app.ok(t, DEPARTMENTS, json!({ "last": 100 })).await;
    assert_eq!(set(&node_ids(&data["departments"])), viewer.departments(), "{data}");
    assert_eq!(data["departments"]["totalCount"], 3);
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = app.ok(t, DEPARTMENTS, json!({ "first": 1, "after": after })).await;
        assert_eq!(data["departments"]["totalCount"], 3, "{data}");
        paged.extend(node_ids(&data["departments"]));
        if data["departments"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = data["departments"]["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_string);
        assert!(paged.len() < 10, "paging does not end: {paged:?}");
    }
    assert_eq!(paged.len(), 3, "{paged:?}");
    assert_eq!(set(&paged), viewer.departments());

    // Users.
    let data = app.ok(t, USERS, json!({ "first": 100 })).await;
    let got = node_ids(&data["users"]);
    assert_eq!(got.len(), 4, "{data}");
    assert_eq!(set(&got), viewer.users());
    assert_eq!(data["users"]["totalCount"], 4);
    let domain = format!("@{}.test", viewer.org.slug);
    for u in data["users"]["nodes"].as_array().expect("users") {
        assert!(u["email"].as_str().is_some_and(|e| e.ends_with(&domain)), "{u}");
    }
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = app.ok(t, USERS, json!({ "first": 1, "after": after })).await;
        assert_eq!(data["users"]["totalCount"], 4, "{data}");
        paged.extend(node_ids(&data["users"]));
        if data["users"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = data["users"]["pageInfo"]["endCursor"].as_str().map(str::to_string);
        assert!(paged.len() < 10, "paging does not end: {paged:?}");
    }
    assert_eq!(set(&paged), viewer.users());
}

const GRAPH: &str = "{
    organization { id }
    me { id organization { id } employee { id } }
    departments(first: 100) { nodes { id name parent { id } employees { id department { id } manager { id } directReports { id } } } }
    employees(first: 100) { nodes {
        id
        department { id parent { id } employees { id } }
        manager { id manager { id } directReports { id } }
        directReports { id manager { id } department { id } }
    } }
    users(first: 100) { nodes { id organization { id } employee { id manager { id } department { id } } } }
}";

/// Nested fields (department members, reports, managers, departments, the
/// caller's and users' employees) only ever show the viewer's rows, and
/// show the expected ones.
async fn nested(app: &TestApp, viewer: &Side, other: &Side) {
    let data = app.ok(&viewer.org.admin, GRAPH, json!({})).await;
    let seen = set(&ids_in(&data));
    let mine = viewer.all();
    let leaked: Vec<_> = seen.iter().filter(|id| !mine.contains(*id)).collect();
    assert!(leaked.is_empty(), "ids not of {}: {leaked:?}\n{data}", viewer.org.slug);
    assert!(seen.is_disjoint(&other.all()), "{data}");
    // Everything is reachable, so the check above is not vacuous.
    assert_eq!(seen, mine, "{data}");

    let departments = &data["departments"];
    let engineering = find(departments, &viewer.engineering);
    assert!(engineering["parent"].is_null(), "{engineering}");
    assert_eq!(node_ids(&engineering["employees"]), vec![viewer.boss.clone()]);
    let platform = find(departments, &viewer.platform);
    assert_eq!(platform["parent"]["id"], viewer.engineering.as_str());
    assert_eq!(
        node_ids(&platform["employees"]),
        vec![viewer.worker.clone(), viewer.linked.clone()]
    );
    assert_eq!(
        node_ids(&find(departments, &viewer.empty)["employees"]),
        Vec::<String>::new()
    );

    let employees = &data["employees"];
    let boss = find(employees, &viewer.boss);
    assert!(boss["manager"].is_null(), "{boss}");
    assert_eq!(boss["department"]["id"], viewer.engineering.as_str());
    assert_eq!(node_ids(&boss["directReports"]), vec![viewer.worker.clone()]);
    let worker = find(employees, &viewer.worker);
    assert_eq!(worker["manager"]["id"], viewer.boss.as_str());
    assert_eq!(worker["department"]["id"], viewer.platform.as_str());
    assert_eq!(worker["department"]["parent"]["id"], viewer.engineering.as_str());
    assert_eq!(node_ids(&worker["directReports"]), vec![viewer.linked.clone()]);
    let linked = find(employees, &viewer.linked);
    assert_eq!(linked["manager"]["id"], viewer.worker.as_str());
    assert_eq!(linked["manager"]["manager"]["id"], viewer.boss.as_str());
    assert_eq!(node_ids(&linked["directReports"]), Vec::<String>::new());
    for id in [&viewer.free, &viewer.shared] {
        let e = find(employees, id);
        assert!(e["manager"].is_null() && e["department"].is_null(), "{e}");
        assert_eq!(node_ids(&e["directReports"]), Vec::<String>::new());
    }

    let users = &data["users"];
    assert_eq!(find(users, &viewer.manager_id)["employee"]["id"], viewer.boss.as_str());
    assert_eq!(find(users, &viewer.staff_id)["employee"]["id"], viewer.linked.as_str());
    assert!(find(users, &viewer.hr_id)["employee"].is_null());
    assert!(find(users, &viewer.admin_id)["employee"].is_null());
    assert_eq!(data["me"]["id"], viewer.admin_id.as_str());
    assert!(data["me"]["employee"].is_null(), "{data}");
    assert_eq!(data["me"]["organization"]["id"], viewer.org_gid.as_str());
    assert_eq!(data["organization"]["id"], viewer.org_gid.as_str());

    // `me.employee` of users linked to employees.
    let me = "{ me { id organization { id } employee { id directReports { id } } } }";
    let data = app.ok(&viewer.staff, me, json!({})).await;
    assert_eq!(data["me"]["id"], viewer.staff_id.as_str());
    assert_eq!(data["me"]["employee"]["id"], viewer.linked.as_str());
    assert_eq!(data["me"]["organization"]["id"], viewer.org_gid.as_str());
    let data = app.ok(&viewer.manager, me, json!({})).await;
    assert_eq!(data["me"]["employee"]["id"], viewer.boss.as_str());
    assert_eq!(
        node_ids(&data["me"]["employee"]["directReports"]),
        vec![viewer.worker.clone()]
    );
    let data = app.ok(&viewer.hr, me, json!({})).await;
    assert!(data["me"]["employee"].is_null(), "{data}");
}

async fn foreign_ids_read_as_missing(app: TestApp) {
    let (acme, globex) = world(&app).await;
    lookups(&app, &acme, &globex).await;
    lookups(&app, &globex, &acme).await;
}

async fn lists_hold_only_own_rows(app: TestApp) {
    let (acme, globex) = world(&app).await;
    lists(&app, &acme, &globex).await;
    lists(&app, &globex, &acme).await;
}

async fn nested_fields_stay_in_the_organization(app: TestApp) {
    let (acme, globex) = world(&app).await;
    nested(&app, &acme, &globex).await;
    nested(&app, &globex, &acme).await;
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

const UPDATE_EMPLOYEE: &str = "mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employee { id firstName status department { id } manager { id } } } }";
const TERMINATE_EMPLOYEE: &str =
    "mutation($id: ID!) { terminateEmployee(input: { id: $id }) { employee { id status } } }";
const UPDATE_DEPARTMENT: &str = "mutation($input: UpdateDepartmentInput!) { updateDepartment(input: $input) { department { id name parent { id } } } }";
const DELETE_DEPARTMENT: &str = "mutation($id: ID!) { deleteDepartment(input: { id: $id }) { deletedDepartmentId } }";
const UPDATE_USER: &str =
    "mutation($input: UpdateUserInput!) { updateUser(input: $input) { user { id role isActive } } }";

/// Everything an admin can see of their organization, timestamps included:
/// equal snapshots mean nothing was written.
const SNAPSHOT: &str = "{
    organization { id name slug isActive subscriptionStatus createdAt }
    employees(first: 100) { totalCount nodes {
        id employeeCode firstName lastName email jobTitle hireDate status createdAt updatedAt
        department { id } manager { id } directReports { id }
    } }
    departments(first: 100) { totalCount nodes { id name createdAt parent { id } employees { id } } }
    users(first: 100) { totalCount nodes { id email role isActive createdAt employee { id } } }
}";

async fn snapshot(app: &TestApp, token: &str) -> Value {
    app.ok(token, SNAPSHOT, json!({})).await
}

/// Row counts of every table the attempts could write to.
async fn counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for table in ["organizations", "users", "departments", "employees"] {
        out.push((table, app.count(table).await));
    }
    out
}

/// `attacker`'s admin aims every update and delete at `victim`'s rows:
/// `NOT_FOUND`, as for ids that exist nowhere.
async fn attack_targets(app: &TestApp, attacker: &Side, victim: &Side) {
    let t = &attacker.org.admin;
    const NF: &str = "NOT_FOUND";

    // updateEmployee: any change, valid references of the attacker's own
    // organization, references inside the victim's, and no change at all.
    for target in [&victim.worker, &victim.boss, &victim.linked] {
        for change in [
            json!({ "firstName": "Hacked" }),
            json!({ "employeeCode": "HACKED-1" }),
            json!({ "email": "hacked@example.com", "jobTitle": "Hacked" }),
            json!({ "status": "ON_LEAVE" }),
            json!({ "hireDate": "2000-01-01" }),
            json!({ "departmentId": null, "managerId": null }),
            json!({ "departmentId": attacker.platform }),
            json!({ "managerId": attacker.boss }),
            json!({ "managerId": victim.free, "departmentId": victim.empty }),
            json!({}),
        ] {
            refused(app, t, UPDATE_EMPLOYEE, target, NF, |id| {
                let mut input = change.clone();
                input["id"] = json!(id);
                json!({ "input": input })
            })
            .await;
        }
    }
    // terminateEmployee, with and without a login to deactivate.
    for target in [&victim.linked, &victim.boss, &victim.free] {
        refused(app, t, TERMINATE_EMPLOYEE, target, NF, |id| json!({ "id": id })).await;
    }

    // updateDepartment.
    for target in [&victim.platform, &victim.engineering, &victim.empty] {
        for change in [
            json!({ "name": "Hacked" }),
            json!({ "parentId": null }),
            json!({ "parentId": attacker.engineering }),
            json!({ "parentId": victim.empty }),
            json!({}),
        ] {
            refused(app, t, UPDATE_DEPARTMENT, target, NF, |id| {
                let mut input = change.clone();
                input["id"] = json!(id);
                json!({ "input": input })
            })
            .await;
        }
    }
    // deleteDepartment: an empty one (which could be deleted) and non-empty
    // ones (which must not answer CONFLICT with their member counts).
    for target in [&victim.empty, &victim.platform, &victim.engineering] {
        refused(app, t, DELETE_DEPARTMENT, target, NF, |id| json!({ "id": id })).await;
    }

    // updateUser.
    for target in [&victim.hr_id, &victim.admin_id, &victim.staff_id] {
        for change in [
            json!({ "role": "ADMIN" }),
            json!({ "role": "EMPLOYEE" }),
            json!({ "isActive": false }),
            json!({ "password": "attacker-chosen-password" }),
            json!({}),
        ] {
            refused(app, t, UPDATE_USER, target, NF, |id| {
                let mut input = change.clone();
                input["id"] = json!(id);
                json!({ "input": input })
            })
            .await;
        }
    }

    // HR of the attacker's organization (may write people) gets the same.
    refused(
        app,
        &attacker.hr,
        UPDATE_EMPLOYEE,
        &victim.worker,
        NF,
        |id| json!({ "input": { "id": id, "firstName": "Hacked" } }),
    )
    .await;
    refused(
        app,
        &attacker.hr,
        TERMINATE_EMPLOYEE,
        &victim.linked,
        NF,
        |id| json!({ "id": id }),
    )
    .await;
    refused(
        app,
        &attacker.hr,
        DELETE_DEPARTMENT,
        &victim.empty,
        NF,
        |id| json!({ "id": id }),
    )
    .await;
}

fn new_employee(code: &str, extra: Value) -> Value {
    let mut input = json!({
        "employeeCode": code,
        "firstName": "Intruder",
        "lastName": "Intruder",
        "email": "intruder@example.com",
        "jobTitle": "Spy",
        "hireDate": "2024-02-01",
    });
    for (k, v) in extra.as_object().expect("extra is an object") {
        input[k] = v.clone();
    }
    json!({ "input": input })
}

/// `attacker`'s admin names `victim`'s rows as references in otherwise
/// valid input: `BAD_USER_INPUT`, as for ids that exist nowhere, and
/// nothing of the attacker's own rows changes either.
async fn attack_references(app: &TestApp, attacker: &Side, victim: &Side) {
    let t = &attacker.org.admin;
    const BAD: &str = "BAD_USER_INPUT";

    // createEmployee with a foreign department or manager.
    for dept in [&victim.platform, &victim.engineering, &victim.empty] {
        refused(app, t, CREATE_EMPLOYEE, dept, BAD, |id| {
            new_employee("INTRUDER-1", json!({ "departmentId": id }))
        })
        .await;
        refused(app, t, CREATE_EMPLOYEE, dept, BAD, |id| {
            new_employee("INTRUDER-1", json!({ "departmentId": id, "managerId": attacker.boss }))
        })
        .await;
    }
    for manager in [&victim.boss, &victim.worker, &victim.free] {
        refused(app, t, CREATE_EMPLOYEE, manager, BAD, |id| {
            new_employee("INTRUDER-1", json!({ "managerId": id }))
        })
        .await;
        refused(app, t, CREATE_EMPLOYEE, manager, BAD, |id| {
            new_employee(
                "INTRUDER-1",
                json!({ "managerId": id, "departmentId": attacker.platform }),
            )
        })
        .await;
    }
    // ... even with a code that exists in the victim's organization only.
    refused(app, t, CREATE_EMPLOYEE, &victim.platform, BAD, |id| {
        new_employee(&victim.code(1), json!({ "departmentId": id }))
    })
    .await;

    // updateEmployee of the attacker's own employees pointing into the
    // victim's organization; other changes in the same input do not land.
    for target in [&attacker.worker, &attacker.free, &attacker.linked] {
        for dept in [&victim.platform, &victim.empty] {
            refused(
                app,
                t,
                UPDATE_EMPLOYEE,
                dept,
                BAD,
                |id| json!({ "input": { "id": target, "departmentId": id } }),
            )
            .await;
            refused(app, t, UPDATE_EMPLOYEE, dept, BAD, |id| {
                json!({ "input": { "id": target, "firstName": "Changed", "status": "ON_LEAVE", "departmentId": id } })
            })
            .await;
        }
        for manager in [&victim.boss, &victim.free] {
            refused(
                app,
                t,
                UPDATE_EMPLOYEE,
                manager,
                BAD,
                |id| json!({ "input": { "id": target, "managerId": id } }),
            )
            .await;
            refused(
                app,
                t,
                UPDATE_EMPLOYEE,
                manager,
                BAD,
                |id| json!({ "input": { "id": target, "lastName": "Changed", "departmentId": null, "managerId": id } }),
            )
            .await;
        }
    }

    // createDepartment and updateDepartment with a foreign parent.
    for parent in [&victim.engineering, &victim.platform, &victim.empty] {
        refused(
            app,
            t,
            CREATE_DEPARTMENT,
            parent,
            BAD,
            |id| json!({ "input": { "name": "Intruders", "parentId": id } }),
        )
        .await;
        for target in [&attacker.empty, &attacker.platform, &attacker.engineering] {
            refused(
                app,
                t,
                UPDATE_DEPARTMENT,
                parent,
                BAD,
                |id| json!({ "input": { "id": target, "parentId": id } }),
            )
            .await;
            refused(
                app,
                t,
                UPDATE_DEPARTMENT,
                parent,
                BAD,
                |id| json!({ "input": { "id": target, "name": "Renamed", "parentId": id } }),
            )
            .await;
        }
    }

    // createUser linked to a foreign employee: one without a login (which
    // could be linked) and ones with a login (which must not answer
    // CONFLICT "already has a user").
    for employee in [&victim.free, &victim.shared, &victim.linked, &victim.boss] {
        refused(app, t, CREATE_USER, employee, BAD, |id| {
            json!({ "input": {
                "email": "intruder@example.com",
                "password": "intruder-password",
                "role": "EMPLOYEE",
                "employeeId": id,
            } })
        })
        .await;
    }

    // HR of the attacker's organization gets the same.
    refused(app, &attacker.hr, CREATE_EMPLOYEE, &victim.platform, BAD, |id| {
        new_employee("INTRUDER-1", json!({ "departmentId": id }))
    })
    .await;
    refused(
        app,
        &attacker.hr,
        UPDATE_EMPLOYEE,
        &victim.boss,
        BAD,
        |id| json!({ "input": { "id": attacker.worker, "managerId": id } }),
    )
    .await;
    refused(
        app,
        &attacker.hr,
        CREATE_DEPARTMENT,
        &victim.engineering,
        BAD,
        |id| json!({ "input": { "name": "Intruders", "parentId": id } }),
    )
    .await;
}

async fn foreign_targets_are_not_found(app: TestApp) {
    let (acme, globex) = world(&app).await;
    let before = counts(&app).await;
    let (acme_before, globex_before) = (
        snapshot(&app, &acme.org.admin).await,
        snapshot(&app, &globex.org.admin).await,
    );

    attack_targets(&app, &acme, &globex).await;
    // The other way round, spot checks.
    refused(
        &app,
        &globex.org.admin,
        UPDATE_EMPLOYEE,
        &acme.worker,
        "NOT_FOUND",
        |id| json!({ "input": { "id": id, "firstName": "Hacked" } }),
    )
    .await;
    refused(
        &app,
        &globex.org.admin,
        DELETE_DEPARTMENT,
        &acme.empty,
        "NOT_FOUND",
        |id| json!({ "id": id }),
    )
    .await;
    refused(
        &app,
        &globex.org.admin,
        UPDATE_USER,
        &acme.hr_id,
        "NOT_FOUND",
        |id| json!({ "input": { "id": id, "isActive": false } }),
    )
    .await;

    assert_eq!(counts(&app).await, before);
    assert_eq!(snapshot(&app, &globex.org.admin).await, globex_before);
    assert_eq!(snapshot(&app, &acme.org.admin).await, acme_before);
}

async fn foreign_references_are_bad_input(app: TestApp) {
    let (acme, globex) = world(&app).await;
    let before = counts(&app).await;
    let (acme_before, globex_before) = (
        snapshot(&app, &acme.org.admin).await,
        snapshot(&app, &globex.org.admin).await,
    );

    attack_references(&app, &acme, &globex).await;
    // The other way round, spot checks.
    refused(
        &app,
        &globex.org.admin,
        CREATE_EMPLOYEE,
        &acme.platform,
        "BAD_USER_INPUT",
        |id| new_employee("INTRUDER-1", json!({ "departmentId": id })),
    )
    .await;
    refused(
        &app,
        &globex.org.admin,
        UPDATE_DEPARTMENT,
        &acme.engineering,
        "BAD_USER_INPUT",
        |id| json!({ "input": { "id": globex.empty, "parentId": id } }),
    )
    .await;
    refused(&app, &globex.org.admin, CREATE_USER, &acme.free, "BAD_USER_INPUT", |id| {
        json!({ "input": { "email": "intruder@example.com", "password": "intruder-password", "role": "HR", "employeeId": id } })
    })
    .await;

    assert_eq!(counts(&app).await, before);
    assert_eq!(snapshot(&app, &globex.org.admin).await, globex_before);
    assert_eq!(snapshot(&app, &acme.org.admin).await, acme_before);
}

/// The organization is exactly as [`side`] built it.
async fn assert_as_built(app: &TestApp, s: &Side, token: &str) {
    let data = snapshot(app, token).await;
    assert_eq!(data["organization"]["id"], s.org_gid.as_str());
    assert_eq!(data["organization"]["slug"], s.org.slug.as_str());
    assert_eq!(data["organization"]["isActive"], true);

    let employees = &data["employees"];
    assert_eq!(employees["totalCount"], 5, "{employees}");
    let expect = [
        (
            &s.boss,
            s.code(1),
            format!("{}Boss", s.title),
            "ACTIVE",
            Some(&s.engineering),
            None,
        ),
        (
            &s.worker,
            s.code(2),
            format!("{}Worker", s.title),
            "ACTIVE",
            Some(&s.platform),
            Some(&s.boss),
        ),
        (
            &s.linked,
            s.code(3),
            format!("{}Linked", s.title),
            "ACTIVE",
            Some(&s.platform),
            Some(&s.worker),
        ),
        (&s.free, s.code(4), format!("{}Free", s.title), "ACTIVE", None, None),
        (
            &s.shared,
            "SHARED-1".to_string(),
            "Pat".to_string(),
            "ON_LEAVE",
            None,
            None,
        ),
    ];
    for (id, code, first, status, dept, manager) in expect {
        let e = find(employees, id);
        assert_eq!(e["employeeCode"], code.as_str(), "{e}");
        assert_eq!(e["firstName"], first.as_str(), "{e}");
        assert_eq!(
            e["email"],
            format!("{}@example.com", code.to_lowercase()).as_str(),
            "{e}"
        );
        assert_eq!(e["jobTitle"], "Engineer", "{e}");
        assert_eq!(e["hireDate"], "2024-01-15", "{e}");
        assert_eq!(e["status"], status, "{e}");
        assert_eq!(e["department"]["id"].as_str(), dept.map(String::as_str), "{e}");
        assert_eq!(e["manager"]["id"].as_str(), manager.map(String::as_str), "{e}");
    }

    let departments = &data["departments"];
    assert_eq!(departments["totalCount"], 3, "{departments}");
    for (id, name, parent) in [
        (&s.engineering, "Engineering", None),
        (&s.platform, "Platform", Some(&s.engineering)),
        (&s.empty, "Empty", None),
    ] {
        let d = find(departments, id);
        assert_eq!(d["name"], name, "{d}");
        assert_eq!(d["parent"]["id"].as_str(), parent.map(String::as_str), "{d}");
    }

    let users = &data["users"];
    assert_eq!(users["totalCount"], 4, "{users}");
    for (id, role, employee) in [
        (&s.admin_id, "ADMIN", None),
        (&s.hr_id, "HR", None),
        (&s.manager_id, "MANAGER", Some(&s.boss)),
        (&s.staff_id, "EMPLOYEE", Some(&s.linked)),
    ] {
        let u = find(users, id);
        assert_eq!(u["role"], role, "{u}");
        assert_eq!(u["isActive"], true, "{u}");
        assert_eq!(u["employee"]["id"].as_str(), employee.map(String::as_str), "{u}");
    }
}

async fn other_organization_is_unchanged(app: TestApp) {
    let (acme, globex) = world(&app).await;
    // Sessions of both organizations' users, to check none was ended.
    let mut sessions = Vec::new();
    for s in [&acme, &globex] {
        for role in ["hr", "manager", "employee"] {
            let email = format!("{role}@{}.test", s.org.slug);
            let password = format!("{}-{role}-password", s.org.slug);
            let body = app.login(&s.org.slug, &email, &password).await;
            let login = &body["data"]["login"];
            let access = login["accessToken"]
                .as_str()
                .unwrap_or_else(|| panic!("{body}"))
                .to_string();
            let refresh = login["refreshToken"].as_str().expect("refresh token").to_string();
            sessions.push((s.org.slug.clone(), email, password, access, refresh));
        }
    }
    let before = counts(&app).await;
    let (acme_before, globex_before) = (
        snapshot(&app, &acme.org.admin).await,
        snapshot(&app, &globex.org.admin).await,
    );

    for (attacker, victim) in [(&acme, &globex), (&globex, &acme)] {
        attack_targets(&app, attacker, victim).await;
        attack_references(&app, attacker, victim).await;
    }

    // Nothing was written by any failed attempt.
    assert_eq!(counts(&app).await, before);
    for (s, snap) in [(&globex, &globex_before), (&acme, &acme_before)] {
        // A fresh login of the admin: their password still works.
        let token = app.token(&s.org.slug, &s.org.admin_email, &s.org.admin_password).await;
        assert_eq!(&snapshot(&app, &token).await, snap, "{} changed", s.org.slug);
        assert_as_built(&app, s, &token).await;
        // The old admin token still works too.
        assert_eq!(&snapshot(&app, &s.org.admin).await, snap);
    }
    // Every user is still active with the same role and password, and no
    // session was ended.
    for (slug, email, password, access, refresh) in sessions {
        let data = app.ok(&access, "{ me { email isActive } }", json!({})).await;
        assert_eq!(data["me"]["email"], email.as_str());
        assert_eq!(data["me"]["isActive"], true);
        let (_, body) = app
            .gql_raw(
                None,
                "mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken } }",
                json!({ "t": refresh }),
            )
            .await;
        assert!(
            body["data"]["refreshToken"]["accessToken"].is_string(),
            "{slug} {email}: {body}"
        );
        app.token(&slug, &email, &password).await;
    }
}

// ---------------------------------------------------------------------------
// Uniqueness is per organization
// ---------------------------------------------------------------------------

async fn codes_and_emails_are_unique_per_organization(app: TestApp) {
    let acme = app.org("acme").await;
    let globex = app.org("globex").await;
    let dup = |last: &str| new_employee("DUP-1", json!({ "lastName": last, "email": "dup@example.com" }));

    // The same code and email in both organizations.
    let data = app.ok(&acme.admin, CREATE_EMPLOYEE, dup("Acme")).await;
    let acme_dup = data["createEmployee"]["employee"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let data = app.ok(&globex.admin, CREATE_EMPLOYEE, dup("Globex")).await;
    let globex_dup = data["createEmployee"]["employee"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_ne!(acme_dup, globex_dup);
    assert_eq!(app.count("employees").await, 2);

    // Twice in one organization: CONFLICT, in either.
    for org in [&acme, &globex] {
        let body = app.gql(&org.admin, CREATE_EMPLOYEE, dup("Again")).await;
        assert_eq!(code(&body), "CONFLICT", "{body}");
        assert!(body["data"].is_null(), "{body}");
    }
    assert_eq!(app.count("employees").await, 2);

    // Each organization sees only its own DUP-1.
    for (org, id, last) in [(&acme, &acme_dup, "Acme"), (&globex, &globex_dup, "Globex")] {
        let data = app
            .ok(
                &org.admin,
                "{ employees(filter: { search: \"dup-1\" }) { totalCount nodes { id lastName } } }",
                json!({}),
            )
            .await;
        assert_eq!(data["employees"]["totalCount"], 1, "{data}");
        assert_eq!(data["employees"]["nodes"][0]["id"], id.as_str());
        assert_eq!(data["employees"]["nodes"][0]["lastName"], last);
    }

    // Renaming to a code only the other organization has is fine; to one
    // the own organization has is CONFLICT.
    let acme_other = employee(&app, &acme.admin, "ONLY-A", None, None).await;
    employee(&app, &globex.admin, "ONLY-G", None, None).await;
    let data = app
        .ok(
            &acme.admin,
            UPDATE_EMPLOYEE,
            json!({ "input": { "id": acme_other, "employeeCode": "ONLY-G" } }),
        )
        .await;
    assert_eq!(data["updateEmployee"]["employee"]["id"], acme_other.as_str());
    let body = app
        .gql(
            &acme.admin,
            UPDATE_EMPLOYEE,
            json!({ "input": { "id": acme_other, "employeeCode": "DUP-1" } }),
        )
        .await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
    let data = app
        .ok(
            &acme.admin,
            "{ employees(orderBy: { field: EMPLOYEE_CODE }) { nodes { employeeCode } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data["employees"]["nodes"],
        json!([{ "employeeCode": "DUP-1" }, { "employeeCode": "ONLY-G" }])
    );

    // The same user email in both organizations, each with its own
    // password; twice in one organization is CONFLICT.
    let user = |password: &str| json!({ "input": { "email": "same@person.test", "password": password, "role": "HR" } });
    let users_before = app.count("users").await;
    let data = app.ok(&acme.admin, CREATE_USER, user("acme-same-password")).await;
    let acme_user = data["createUser"]["user"]["id"].as_str().expect("id").to_string();
    let data = app.ok(&globex.admin, CREATE_USER, user("globex-same-password")).await;
    let globex_user = data["createUser"]["user"]["id"].as_str().expect("id").to_string();
    assert_ne!(acme_user, globex_user);
    for org in [&acme, &globex] {
        let body = app.gql(&org.admin, CREATE_USER, user("another-password")).await;
        assert_eq!(code(&body), "CONFLICT", "{body}");
        assert!(body["data"].is_null(), "{body}");
    }
    assert_eq!(app.count("users").await, users_before + 2);
    for (slug, id, password) in [
        ("acme", &acme_user, "acme-same-password"),
        ("globex", &globex_user, "globex-same-password"),
    ] {
        let body = app.login(slug, "same@person.test", password).await;
        assert_eq!(body["data"]["login"]["user"]["id"], id.as_str(), "{body}");
        assert_eq!(body["data"]["login"]["organization"]["slug"], slug, "{body}");
    }
    // One organization's password does not open the other's account.
    let body = app.login("globex", "same@person.test", "acme-same-password").await;
    assert_eq!(code(&body), "UNAUTHENTICATED", "{body}");
    // Each admin lists only its own.
    for (org, id) in [(&acme, &acme_user), (&globex, &globex_user)] {
        let data = app.ok(&org.admin, USERS, json!({ "first": 100 })).await;
        let same: Vec<_> = data["users"]["nodes"]
            .as_array()
            .expect("users")
            .iter()
            .filter(|u| u["email"] == "same@person.test")
            .collect();
        assert_eq!(same.len(), 1, "{data}");
        assert_eq!(same[0]["id"], id.as_str());
    }
}

// ---------------------------------------------------------------------------
// The attendance batch
// ---------------------------------------------------------------------------

/// The batch behind `Employee.attendance(last:)` is hand-written SQL on
/// PostgreSQL (a LATERAL query) that filters by organization itself. Run
/// through the owner connection (a superuser: no row-level security), a
/// handle for one organization asked for the other organization's
/// employees gets nothing, and for its own gets exactly its own rows.
async fn attendance_batch_stays_in_its_organization(app: TestApp) {
    seed(&app, 2, 3, 2).await;
    let mut employees: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for e in employee::Entity::find().all(&app.db).await.expect("employees") {
        employees.entry(e.organization_id).or_default().push(e.id);
    }
    let orgs: Vec<Uuid> = employees.keys().copied().collect();
    assert_eq!(orgs.len(), 2, "{employees:?}");

    for (org, other) in [(orgs[0], orgs[1]), (orgs[1], orgs[0])] {
        let db = OrgDb::open(&app.db, org).await.expect("scope");
        let batch = |ids: Vec<Uuid>| {
            let db = db.clone();
            async move {
                db.top_per_key::<attendance_record::Entity>(
                    attendance_record::Column::EmployeeId,
                    &ids,
                    attendance_record::Column::Date,
                    Order::Desc,
                    7,
                )
                .await
                .expect("attendance batch")
                .into_iter()
                .map(|r| (r.organization_id, r.employee_id, r.date))
                .collect::<BTreeSet<_>>()
            }
        };
        let own = batch(employees[&org].clone()).await;
        assert_eq!(own.len(), 3 * 2, "{own:?}");
        assert!(own.iter().all(|(o, ..)| *o == org), "{own:?}");
        let theirs = batch(employees[&other].clone()).await;
        assert!(theirs.is_empty(), "{org} read attendance of {other}: {theirs:?}");
        let mixed = batch(employees[&org].iter().chain(&employees[&other]).copied().collect()).await;
        assert_eq!(mixed, own);
        db.finish().await.expect("finish");
    }
}

dual!(
    foreign_ids_read_as_missing,
    lists_hold_only_own_rows,
    nested_fields_stay_in_the_organization,
    foreign_targets_are_not_found,
    foreign_references_are_bad_input,
    other_organization_is_unchanged,
    codes_and_emails_are_unique_per_organization,
    attendance_batch_stays_in_its_organization,
);
