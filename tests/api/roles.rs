//! Role guards: ADMIN and HR write departments and employees; MANAGER and
//! EMPLOYEE only read them; user management is ADMIN-only; an admin cannot
//! lock themselves out; and a role change applies to the very next request
//! (the role comes from the database, not from the token).

use serde_json::{Value, json};

use crate::{dual, helpers::*};

const UPDATE_DEPARTMENT: &str =
    "mutation($input: UpdateDepartmentInput!) { updateDepartment(input: $input) { department { id name } } }";
const DELETE_DEPARTMENT: &str =
    "mutation($input: DeleteDepartmentInput!) { deleteDepartment(input: $input) { deletedDepartmentId } }";
const UPDATE_EMPLOYEE: &str =
    "mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employee { id jobTitle } } }";
const TERMINATE_EMPLOYEE: &str =
    "mutation($input: TerminateEmployeeInput!) { terminateEmployee(input: $input) { employee { id status } } }";
const UPDATE_USER: &str =
    "mutation($input: UpdateUserInput!) { updateUser(input: $input) { user { id role isActive } } }";
const USERS: &str = "{ users(first: 50) { totalCount nodes { email role } } }";
const EMPLOYEE: &str = "query($id: ID!) { employee(id: $id) { id employeeCode jobTitle status department { id } } }";
const DEPARTMENT: &str = "query($id: ID!) { department(id: $id) { id name } }";

/// An operation that must be refused with `code`; the field's data is null.
async fn refused(app: &TestApp, token: &str, query: &str, variables: Value, want: &str, what: &str) {
    let body = app.gql(token, query, variables).await;
    assert_eq!(code(&body), want, "{what}: {body}");
    assert!(body["data"].is_null(), "{what} must return no data: {body}");
}

async fn admin_and_hr_write_departments_and_employees(app: TestApp) {
    let org = app.org("acme").await;
    let (_, hr) = user_with_role(&app, &org, "HR", None).await;

    for (role, token) in [("ADMIN", &org.admin), ("HR", &hr)] {
        let dept = department(&app, token, &format!("Engineering {role}"), None).await;
        let data = app
            .ok(
                token,
                UPDATE_DEPARTMENT,
                json!({ "input": { "id": dept, "name": format!("Platform {role}") } }),
            )
            .await;
        assert_eq!(
            data["updateDepartment"]["department"]["name"],
            format!("Platform {role}")
        );

        let emp = employee(&app, token, &format!("E-{role}"), Some(&dept), None).await;
        let data = app
            .ok(
                token,
                UPDATE_EMPLOYEE,
                json!({ "input": { "id": emp, "jobTitle": "Staff Engineer", "departmentId": null } }),
            )
            .await;
        assert_eq!(
            data["updateEmployee"]["employee"]["jobTitle"], "Staff Engineer",
            "{role}"
        );
        let data = app
            .ok(token, TERMINATE_EMPLOYEE, json!({ "input": { "id": emp } }))
            .await;
        assert_eq!(data["terminateEmployee"]["employee"]["status"], "TERMINATED", "{role}");

        // The department is empty now, so it can be deleted.
        let data = app
            .ok(token, DELETE_DEPARTMENT, json!({ "input": { "id": dept } }))
            .await;
        assert_eq!(data["deleteDepartment"]["deletedDepartmentId"], dept.as_str(), "{role}");
        let data = app.ok(token, DEPARTMENT, json!({ "id": dept })).await;
        assert!(
            data["department"].is_null(),
            "{role}: deleted department still readable"
        );
    }
    assert_eq!(app.count("employees").await, 2);
    assert_eq!(app.count("departments").await, 0);
}

async fn manager_and_employee_read_but_cannot_write(app: TestApp) {
    let org = app.org("acme").await;
    let dept = department(&app, &org.admin, "Engineering", None).await;
    let empty = department(&app, &org.admin, "Empty", None).await;
    let emp = employee(&app, &org.admin, "E1", Some(&dept), None).await;
    let (_, manager) = user_with_role(&app, &org, "MANAGER", None).await;
    let (_, worker) = user_with_role(&app, &org, "EMPLOYEE", None).await;

    for (role, token) in [("MANAGER", &manager), ("EMPLOYEE", &worker)] {
        // Reading works.
        let data = app
            .ok(
                token,
                "{ employees(first: 10) { totalCount nodes { id employeeCode } } }",
                json!({}),
            )
            .await;
        assert_eq!(data["employees"]["totalCount"], 1, "{role}");
        assert_eq!(data["employees"]["nodes"][0]["id"], emp.as_str(), "{role}");
        let data = app
            .ok(
                token,
                "{ departments(first: 10) { totalCount nodes { name } } }",
                json!({}),
            )
            .await;
        assert_eq!(data["departments"]["totalCount"], 2, "{role}");
        let data = app.ok(token, EMPLOYEE, json!({ "id": emp })).await;
        assert_eq!(data["employee"]["employeeCode"], "E1", "{role}");

        // Writing is refused, and nothing is written.
        let employees = app.count("employees").await;
        let departments = app.count("departments").await;
        let attempts = [
            (
                "createDepartment",
                CREATE_DEPARTMENT,
                json!({ "input": { "name": "Sneaky" } }),
            ),
            (
                "updateDepartment",
                UPDATE_DEPARTMENT,
                json!({ "input": { "id": dept, "name": "Renamed" } }),
            ),
            (
                "deleteDepartment",
                DELETE_DEPARTMENT,
                json!({ "input": { "id": empty } }),
            ),
            (
                "createEmployee",
                CREATE_EMPLOYEE,
                json!({ "input": {
                    "employeeCode": "X1", "firstName": "X", "lastName": "Y",
                    "email": "x1@example.com", "jobTitle": "Spy", "hireDate": "2024-01-15",
                } }),
            ),
            (
                "updateEmployee",
                UPDATE_EMPLOYEE,
                json!({ "input": { "id": emp, "jobTitle": "CEO", "departmentId": null } }),
            ),
            (
                "terminateEmployee",
                TERMINATE_EMPLOYEE,
                json!({ "input": { "id": emp } }),
            ),
        ];
        for (what, query, variables) in attempts {
            refused(&app, token, query, variables, "FORBIDDEN", &format!("{role} {what}")).await;
        }
        assert_eq!(app.count("employees").await, employees, "{role}");
        assert_eq!(app.count("departments").await, departments, "{role}");
    }

    // Everything is as the admin left it.
    let data = app.ok(&org.admin, EMPLOYEE, json!({ "id": emp })).await;
    assert_eq!(data["employee"]["jobTitle"], "Engineer");
    assert_eq!(data["employee"]["status"], "ACTIVE");
    assert_eq!(data["employee"]["department"]["id"], dept.as_str());
    let data = app.ok(&org.admin, DEPARTMENT, json!({ "id": dept })).await;
    assert_eq!(data["department"]["name"], "Engineering");
    let data = app.ok(&org.admin, DEPARTMENT, json!({ "id": empty })).await;
    assert_eq!(data["department"]["name"], "Empty");
}

async fn user_management_is_admin_only(app: TestApp) {
    let org = app.org("acme").await;
    let (hr_id, hr) = user_with_role(&app, &org, "HR", None).await;
    let (_, manager) = user_with_role(&app, &org, "MANAGER", None).await;
    let (worker_id, worker) = user_with_role(&app, &org, "EMPLOYEE", None).await;

    let data = app.ok(&org.admin, USERS, json!({})).await;
    assert_eq!(data["users"]["totalCount"], 4);

    let users = app.count("users").await;
    for (role, token) in [("HR", &hr), ("MANAGER", &manager), ("EMPLOYEE", &worker)] {
        refused(&app, token, USERS, json!({}), "FORBIDDEN", &format!("{role} users")).await;
        refused(
            &app,
            token,
            CREATE_USER,
            json!({ "input": { "email": "new@acme.test", "password": "new-user-password", "role": "ADMIN" } }),
            "FORBIDDEN",
            &format!("{role} createUser"),
        )
        .await;
        // Neither promoting oneself nor changing someone else.
        for (target, change) in [
            (&hr_id, json!({ "role": "ADMIN" })),
            (&worker_id, json!({ "isActive": false })),
            (&worker_id, json!({ "password": "taken-over-password" })),
        ] {
            let mut input = change;
            input["id"] = json!(target);
            refused(
                &app,
                token,
                UPDATE_USER,
                json!({ "input": input }),
                "FORBIDDEN",
                &format!("{role} updateUser"),
            )
            .await;
        }
    }
    assert_eq!(app.count("users").await, users);

    // Nothing changed: roles, activity and passwords are as they were.
    let data = app.ok(&org.admin, USERS, json!({})).await;
    let roles: Vec<(&str, &str)> = data["users"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|u| (u["email"].as_str().unwrap_or(""), u["role"].as_str().unwrap_or("")))
        .collect();
    assert!(roles.contains(&("hr@acme.test", "HR")), "{roles:?}");
    assert!(!roles.iter().any(|(e, _)| *e == "new@acme.test"), "{roles:?}");
    app.token("acme", "employee@acme.test", "acme-employee-password").await;
}

async fn admin_cannot_lock_themselves_out(app: TestApp) {
    let org = app.org("acme").await;
    let me = app.ok(&org.admin, "{ me { id } }", json!({})).await;
    let id = me["me"]["id"].as_str().expect("id").to_string();

    refused(
        &app,
        &org.admin,
        UPDATE_USER,
        json!({ "input": { "id": id, "isActive": false } }),
        "BAD_USER_INPUT",
        "deactivate self",
    )
    .await;
    refused(
        &app,
        &org.admin,
        UPDATE_USER,
        json!({ "input": { "id": id, "role": "HR" } }),
        "BAD_USER_INPUT",
        "demote self",
    )
    .await;

    // Still an active admin.
    let data = app.ok(&org.admin, "{ me { role isActive } }", json!({})).await;
    assert_eq!(data["me"]["role"], "ADMIN");
    assert_eq!(data["me"]["isActive"], true);
    app.ok(&org.admin, USERS, json!({})).await;
    app.token("acme", &org.admin_email, &org.admin_password).await;
}

async fn role_changes_apply_to_the_next_request(app: TestApp) {
    let org = app.org("acme").await;
    let (id, token) = user_with_role(&app, &org, "EMPLOYEE", None).await;
    let create = json!({ "input": { "name": "Research" } });

    refused(
        &app,
        &token,
        CREATE_DEPARTMENT,
        create.clone(),
        "FORBIDDEN",
        "as EMPLOYEE",
    )
    .await;
    assert_eq!(app.count("departments").await, 0);

    // Promoted: the same access token (which still says EMPLOYEE) may write.
    let data = app
        .ok(&org.admin, UPDATE_USER, json!({ "input": { "id": id, "role": "HR" } }))
        .await;
    assert_eq!(data["updateUser"]["user"]["role"], "HR");
    let data = app.ok(&token, CREATE_DEPARTMENT, create.clone()).await;
    assert_eq!(data["createDepartment"]["department"]["name"], "Research");
    let data = app.ok(&token, "{ me { role } }", json!({})).await;
    assert_eq!(data["me"]["role"], "HR");

    // Demoted again: refused at once.
    app.ok(
        &org.admin,
        UPDATE_USER,
        json!({ "input": { "id": id, "role": "MANAGER" } }),
    )
    .await;
    refused(&app, &token, CREATE_DEPARTMENT, create, "FORBIDDEN", "as MANAGER").await;
    assert_eq!(app.count("departments").await, 1);
}

dual!(
    admin_and_hr_write_departments_and_employees,
    manager_and_employee_read_but_cannot_write,
    user_management_is_admin_only,
    admin_cannot_lock_themselves_out,
    role_changes_apply_to_the_next_request,
);
