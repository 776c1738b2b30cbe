//! Row-level security (PostgreSQL only): layer 5 checked the way a DBA
//! would, below the application. Raw SQL through the runtime role, with the
//! application's `OrgFilter` bypassed on purpose, sees and writes only the
//! scoped organization; a pooled session keeps no organization between
//! requests; the runtime role cannot switch RLS off, own, truncate or become
//! the owner; concurrent requests of two organizations never mix; failed
//! mutations roll back to their savepoint; and the start-up audit and
//! `hrms doctor` pass on the migrated schema and fail on each kind of drift.
//!
//! Test names do not end in `::postgres` or `::sqlite`: `.ci/run` compares
//! those two counts for the dual tests.

use std::{
    collections::{BTreeMap, BTreeSet},
    process::{Command, Output},
    sync::Arc,
    time::Duration,
};

use hrms::{
    config::{Config, Env, Secret},
    startup::{App, check_postgres, connect, migrate_all},
    tenancy::{
        ScopedConn,
        audit::{Report, audit},
        roles::grant_runtime_role,
    },
};
use reqwest::StatusCode;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, TransactionTrait,
    Value as DbValue,
};
use serde_json::{Value, json};
use tokio::{
    sync::{Semaphore, oneshot},
    task::JoinSet,
};
use uuid::Uuid;

use crate::helpers::*;

/// The tables with `organization_id`, each under `tenant_isolation`.
const TENANT_TABLES: [&str; 5] = [
    "users",
    "departments",
    "employees",
    "refresh_tokens",
    "attendance_records",
];

/// The BYPASSRLS login role made for the audit test (cluster-wide, shared by
/// concurrent runs, created idempotently and left in place like
/// [`RUNTIME_ROLE`]).
const BYPASS_ROLE: &str = "hrms_test_bypass";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn sql(s: impl Into<String>) -> Statement {
    Statement::from_string(DbBackend::Postgres, s.into())
}

fn sql_with(s: &str, values: impl IntoIterator<Item = DbValue>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, s, values)
}

fn base_url() -> String {
    std::env::var("HRMS_TEST_POSTGRES_URL").expect("HRMS_TEST_POSTGRES_URL (spawn_postgres returned a server)")
}

/// `organization_id` of every row of `table` that `db` can see.
async fn org_ids<C: ConnectionTrait>(db: &C, table: &str) -> Vec<Uuid> {
    db.query_all_raw(sql(format!("SELECT organization_id FROM {table}")))
        .await
        .unwrap_or_else(|e| panic!("SELECT organization_id FROM {table}: {e}"))
        .iter()
        .map(|r| r.try_get::<Uuid>("", "organization_id").expect("organization_id"))
        .collect()
}

/// How many of `ids` are `org`.
fn of(ids: &[Uuid], org: Uuid) -> usize {
    ids.iter().filter(|id| **id == org).count()
}

async fn scalar_i64<C: ConnectionTrait>(db: &C, query: &str) -> i64 {
    db.query_one_raw(sql(query))
        .await
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .unwrap_or_else(|| panic!("{query}: no row"))
        .try_get::<i64>("", "n")
        .unwrap_or_else(|e| panic!("{query}: {e}"))
}

/// Every department row (organization, id, name), as the owner sees them.
async fn departments_snapshot(owner: &DatabaseConnection) -> Vec<(Uuid, Uuid, String)> {
    owner
        .query_all_raw(sql(
            "SELECT organization_id, id, name FROM departments ORDER BY organization_id, id",
        ))
        .await
        .expect("owner snapshot of departments")
        .iter()
        .map(|r| {
            (
                r.try_get("", "organization_id").expect("organization_id"),
                r.try_get("", "id").expect("id"),
                r.try_get("", "name").expect("name"),
            )
        })
        .collect()
}

/// The ids of `table`'s rows of `org`, as the owner sees them.
async fn owner_ids(owner: &DatabaseConnection, table: &str, org: Uuid) -> BTreeSet<Uuid> {
    owner
        .query_all_raw(sql_with(
            &format!("SELECT id FROM {table} WHERE organization_id = $1"),
            [org.into()],
        ))
        .await
        .expect("owner ids")
        .iter()
        .map(|r| r.try_get::<Uuid>("", "id").expect("id"))
        .collect()
}

/// POST a GraphQL operation to any server (the helpers' client talks to the
/// spawned one only).
async fn post_gql(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> (StatusCode, Value) {
    let res = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("request");
    let status = res.status();
    (status, res.json().await.expect("json body"))
}

fn test_config(database_url: &str) -> Config {
    Config::new(
        Env::Dev,
        database_url.to_string(),
        "127.0.0.1:0".parse().expect("literal address"),
        Secret::new(TEST_SECRET),
    )
}

/// Run a statement as the runtime role inside a transaction that is always
/// rolled back (if the statement were wrongly accepted, nothing stays);
/// returns the error text, panicking when the statement succeeds.
async fn refused_as_runtime(db: &DatabaseConnection, statement: &str) -> String {
    let tx = db.begin().await.expect("begin");
    let res = tx.execute_unprepared(statement).await;
    tx.rollback().await.expect("rollback");
    match res {
        Ok(r) => panic!(
            "the runtime role was allowed to run {statement:?} ({} rows)",
            r.rows_affected()
        ),
        Err(e) => e.to_string(),
    }
}

/// Run a statement inside `scope` under a savepoint (plain SQL) that is
/// rolled back, so the scope's transaction goes on; returns the error text,
/// panicking when the statement succeeds.
async fn refused_in_scope(scope: &ScopedConn, statement: &str) -> String {
    scope.execute_unprepared("SAVEPOINT rls_test").await.expect("savepoint");
    let res = scope.execute_unprepared(statement).await;
    scope
        .execute_unprepared("ROLLBACK TO SAVEPOINT rls_test")
        .await
        .expect("rollback to savepoint");
    match res {
        Ok(r) => panic!("{statement:?} was accepted in the scope ({} rows)", r.rows_affected()),
        Err(e) => e.to_string(),
    }
}

/// A database of its own for a test that breaks it, dropped (WITH FORCE)
/// when the guard goes, even after a failed assertion.
struct FreshDb {
    base: String,
    name: String,
    owner_url: String,
    runtime_url: String,
}

impl FreshDb {
    /// A fresh database migrated as the owner, the runtime role granted.
    async fn migrated() -> FreshDb {
        let base = base_url();
        let (owner_url, runtime_url, name) = fresh_postgres_database(&base).await;
        let db = FreshDb {
            base,
            name,
            owner_url,
            runtime_url,
        };
        migrate_all(&db.runtime_url, Some(&db.owner_url))
            .await
            .expect("migrate the fresh database as the owner");
        db
    }

    /// Run `statement` as the owner (to break the database on purpose).
    async fn as_owner(&self, statement: &str) {
        let owner = connect(&self.owner_url).await.expect("connect as owner");
        owner
            .execute_unprepared(statement)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
        owner.close().await.ok();
    }

    async fn runtime(&self) -> DatabaseConnection {
        connect(&self.runtime_url).await.expect("connect as the runtime role")
    }
}

impl Drop for FreshDb {
    fn drop(&mut self) {
        drop_postgres_database(self.base.clone(), self.name.clone());
    }
}

/// `(subject, check)` of every failed finding.
fn failed(report: &Report) -> Vec<(String, &'static str)> {
    report.failures().map(|f| (f.subject.clone(), f.check)).collect()
}

fn fail(subject: &str, check: &'static str) -> Vec<(String, &'static str)> {
    vec![(subject.to_string(), check)]
}

/// `hrms doctor --database-url <url>` (the real binary), with no
/// `HRMS_*` database variables in its environment.
async fn doctor(database_url: &str) -> Output {
    let url = database_url.to_string();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_hrms"))
            .args(["doctor", "--database-url", &url])
            .env_remove("HRMS_DATABASE_URL")
            .env_remove("HRMS_MIGRATION_DATABASE_URL")
            .output()
            .expect("run hrms doctor")
    })
    .await
    .expect("doctor thread")
}

/// The rows of the doctor's table: (mark, subject, check+detail).
fn doctor_rows(stdout: &str) -> Vec<(&str, &str, &str)> {
    stdout
        .lines()
        .filter_map(|line| {
            let (mark, rest) = line.split_once(' ')?;
            if mark != "ok" && mark != "FAIL" {
                return None;
            }
            let rest = rest.trim_start();
            // Subjects are a table name or `role <name>`.
            let (subject, rest) = if let Some(role) = rest.strip_prefix("role ") {
                let end = role.find(' ').unwrap_or(role.len());
                (&rest[..5 + end], &role[end..])
            } else {
                rest.split_once(' ').unwrap_or((rest, ""))
            };
            Some((mark, subject, rest.trim_start()))
        })
        .collect()
}

// ---------------------------------------------------------------------------
// 1. Raw SQL through the runtime role sees only the scoped organization
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_sql_sees_only_the_scoped_org() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    let a = app.org("acme").await;
    let b = app.org("globex").await;
    // acme: 2 departments, 3 employees, 2 users, 2 attendance records;
    // globex: 1, 5, 3, 1.
    let eng = department(&app, &a.admin, "Engineering", None).await;
    department(&app, &a.admin, "Sales", None).await;
    let mut a_employees = Vec::new();
    for code in ["A-1", "A-2", "A-3"] {
        a_employees.push(employee(&app, &a.admin, code, Some(&eng), None).await);
    }
    user_with_role(&app, &a, "HR", None).await;
    let ops = department(&app, &b.admin, "Operations", None).await;
    let mut b_employees = Vec::new();
    for code in ["B-1", "B-2", "B-3", "B-4", "B-5"] {
        b_employees.push(employee(&app, &b.admin, code, Some(&ops), None).await);
    }
    user_with_role(&app, &b, "HR", None).await;
    user_with_role(&app, &b, "EMPLOYEE", None).await;
    // The API only reads attendance: the owner writes it.
    for (org, employee, day) in [
        (a.id, &a_employees[0], 1),
        (a.id, &a_employees[1], 1),
        (b.id, &b_employees[0], 2),
    ] {
        app.db
            .execute_unprepared(&format!(
                "INSERT INTO attendance_records (organization_id, id, employee_id, date, status)
                 VALUES ('{org}'::uuid, gen_random_uuid(), '{}'::uuid, DATE '2026-11-0{day}', 'PRESENT')",
                uuid_of(employee)
            ))
            .await
            .expect("attendance row");
    }

    // The owner (not bound by RLS) sees both organizations: the data exists.
    let mut expected: BTreeMap<(&str, Uuid), usize> = BTreeMap::from([
        (("departments", a.id), 2),
        (("departments", b.id), 1),
        (("employees", a.id), 3),
        (("employees", b.id), 5),
        (("users", a.id), 2),
        (("users", b.id), 3),
        (("attendance_records", a.id), 2),
        (("attendance_records", b.id), 1),
    ]);
    for table in TENANT_TABLES {
        let all = org_ids(&app.db, table).await;
        for org in [a.id, b.id] {
            let n = of(&all, org);
            assert!(n > 0, "owner: no {table} rows for {org}");
            let want = *expected.entry((table, org)).or_insert(n);
            assert_eq!(n, want, "owner: {table} rows of {org}");
        }
        assert_eq!(all.len(), of(&all, a.id) + of(&all, b.id), "owner: {table}");
    }

    // Inside a request scope, with no application filter at all, each
    // organization sees exactly its own rows, and naming the other
    // organization explicitly finds nothing.
    for (org, other) in [(a.id, b.id), (b.id, a.id)] {
        let scope = ScopedConn::open(&app.runtime, org).await.expect("open scope");
        for table in TENANT_TABLES {
            let seen = org_ids(&scope, table).await;
            assert!(!seen.is_empty(), "scope {org}: no {table} rows");
            assert!(
                seen.iter().all(|id| *id == org),
                "scope {org}: {table} leaked another organization: {seen:?}"
            );
            assert_eq!(seen.len(), expected[&(table, org)], "scope {org}: {table}");
            let n = scalar_i64(
                &scope,
                &format!("SELECT count(*) AS n FROM {table} WHERE organization_id = '{other}'::uuid"),
            )
            .await;
            assert_eq!(n, 0, "scope {org}: {table} rows of {other} by explicit filter");
            let n = scalar_i64(
                &scope,
                &format!("SELECT count(*) AS n FROM {table} WHERE organization_id <> '{org}'::uuid"),
            )
            .await;
            assert_eq!(n, 0, "scope {org}: {table} rows of any other organization");
        }
        scope.finish().await.expect("commit scope");
    }

    // The runtime role with no scope (no setting) sees nothing at all.
    for table in TENANT_TABLES {
        let seen = org_ids(&app.runtime, table).await;
        assert!(seen.is_empty(), "runtime role without a scope sees {table}: {seen:?}");
    }
    // Also with the setting present but empty (what a pooled session holds
    // after a request), in a transaction of its own.
    let tx = app.runtime.begin().await.expect("begin");
    tx.execute_unprepared("SELECT set_config('app.current_organization_id', '', true)")
        .await
        .expect("empty setting");
    for table in TENANT_TABLES {
        let seen = org_ids(&tx, table).await;
        assert!(
            seen.is_empty(),
            "runtime role with an empty setting sees {table}: {seen:?}"
        );
    }
    tx.rollback().await.expect("rollback");
}

// ---------------------------------------------------------------------------
// 2. A pooled connection keeps no organization after a request
// ---------------------------------------------------------------------------

/// (backend pid, the org setting, employees visible, users visible) of the
/// one session of a size-1 pool, in one statement.
async fn session_state(pool: &DatabaseConnection) -> (i32, Option<String>, i64, i64) {
    let row = pool
        .query_one_raw(sql("SELECT pg_backend_pid() AS pid,
                    current_setting('app.current_organization_id', true) AS org,
                    (SELECT count(*) FROM employees) AS employees,
                    (SELECT count(*) FROM users) AS users"))
        .await
        .expect("session state")
        .expect("one row");
    (
        row.try_get("", "pid").expect("pid"),
        row.try_get("", "org").expect("org"),
        row.try_get("", "employees").expect("employees"),
        row.try_get("", "users").expect("users"),
    )
}

fn assert_clean(state: &(i32, Option<String>, i64, i64), pid: i32, after: &str) {
    let (now_pid, org, employees, users) = state;
    assert_eq!(
        *now_pid, pid,
        "{after}: the pool of size 1 changed sessions, the check proves nothing"
    );
    assert!(
        org.as_deref().unwrap_or("").is_empty(),
        "{after}: the pooled session still holds app.current_organization_id = {org:?}"
    );
    assert_eq!(
        *employees, 0,
        "{after}: the pooled session sees employees without a scope"
    );
    assert_eq!(*users, 0, "{after}: the pooled session sees users without a scope");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pooled_connection_forgets_the_org_after_a_request() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    let a = app.org("acme").await;
    let b = app.org("globex").await;
    let a_ids = BTreeSet::from([
        split_gid(&employee(&app, &a.admin, "A-1", None, None).await).1,
        split_gid(&employee(&app, &a.admin, "A-2", None, None).await).1,
    ]);
    let b_ids = BTreeSet::from([split_gid(&employee(&app, &b.admin, "B-1", None, None).await).1]);

    // A second server on a runtime pool of exactly one session.
    let runtime_url = app.config.database_url.clone();
    let mut opts = ConnectOptions::new(runtime_url.clone());
    opts.max_connections(1)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    let pool = Database::connect(opts).await.expect("size-1 runtime pool");
    let server = App::with_database(&test_config(&runtime_url), pool.clone())
        .await
        .expect("build the size-1 app");
    let base = format!("http://127.0.0.1:{}", server.port());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(server.run_until_stopped(async {
        let _ = stopped.await;
    }));

    let (pid, ..) = session_state(&pool).await;
    assert_clean(&session_state(&pool).await, pid, "before any request");

    let list = "{ employees(first: 50) { totalCount nodes { id employeeCode } } }";
    let ids = |body: &Value| -> BTreeSet<Uuid> {
        body["data"]["employees"]["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("no employees in {body}"))
            .iter()
            .map(|n| uuid_of(n["id"].as_str().expect("id")))
            .collect()
    };

    // A read as acme commits; the session then holds no organization.
    let (status, body) = post_gql(&app.client, &base, &a.admin, list, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"]["employees"]["totalCount"], 2, "{body}");
    assert_eq!(ids(&body), a_ids, "{body}");
    assert_clean(&session_state(&pool).await, pid, "after acme's read");

    // A mutation request whose field fails (rolled back to its savepoint,
    // the request still commits): the same.
    let (status, body) = post_gql(
        &app.client,
        &base,
        &a.admin,
        CREATE_EMPLOYEE,
        json!({ "input": {
            "employeeCode": "A-1", "firstName": "Dup", "lastName": "Licate", "email": "dup@example.com",
            "jobTitle": "Engineer", "hireDate": "2024-01-15",
        } }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(code(&body), "CONFLICT", "{body}");
    assert_clean(&session_state(&pool).await, pid, "after acme's failed mutation");

    // The next organization on the same session sees only its own rows.
    let (status, body) = post_gql(&app.client, &base, &b.admin, list, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"]["employees"]["totalCount"], 1, "{body}");
    assert_eq!(ids(&body), b_ids, "{body}");
    assert_clean(&session_state(&pool).await, pid, "after globex's read");

    let _ = stop.send(());
    pool.close().await.ok();
}

// ---------------------------------------------------------------------------
// 3. WITH CHECK: no row can be written into another organization
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_check_refuses_rows_for_another_org() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    let a = app.org("acme").await;
    let b = app.org("globex").await;
    // A department nothing references, so no foreign key can be what stops
    // moving it.
    let spare = split_gid(&department(&app, &a.admin, "Spare", None).await).1;
    let theirs = split_gid(&department(&app, &b.admin, "Theirs", None).await).1;
    let before = departments_snapshot(&app.db).await;
    assert_eq!(before.len(), 2, "{before:?}");

    let insert = |org: &str| {
        format!(
            "INSERT INTO departments (organization_id, id, name, created_at) VALUES ({org}, gen_random_uuid(), 'Leak', now())"
        )
    };
    let scope = ScopedConn::open(&app.runtime, a.id).await.expect("open scope");

    // The same statements work for the scope's own organization (so the
    // refusals below are row-level security's doing, not a bad statement).
    scope.execute_unprepared("SAVEPOINT rls_test").await.expect("savepoint");
    let r = scope
        .execute_unprepared(&insert(&format!("'{}'::uuid", a.id)))
        .await
        .expect("insert into the scope's own organization");
    assert_eq!(r.rows_affected(), 1);
    let r = scope
        .execute_unprepared(&format!(
            "UPDATE departments SET organization_id = '{}'::uuid, name = 'Renamed' WHERE id = '{spare}'::uuid",
            a.id
        ))
        .await
        .expect("update within the scope's own organization");
    assert_eq!(r.rows_affected(), 1, "the row to move is visible in the scope");
    scope
        .execute_unprepared("ROLLBACK TO SAVEPOINT rls_test")
        .await
        .expect("rollback to savepoint");

    // INSERT of a row for the other organization.
    let err = refused_in_scope(&scope, &insert(&format!("'{}'::uuid", b.id))).await;
    assert!(
        err.contains("row-level security") && err.contains("departments"),
        "insert for another organization: {err}"
    );
    // UPDATE moving an own row into the other organization.
    let err = refused_in_scope(
        &scope,
        &format!(
            "UPDATE departments SET organization_id = '{}'::uuid WHERE id = '{spare}'::uuid",
            b.id
        ),
    )
    .await;
    assert!(
        err.contains("row-level security") && err.contains("departments"),
        "update into another organization: {err}"
    );
    // INSERT with no organization at all.
    let err = refused_in_scope(&scope, &insert("NULL")).await;
    assert!(
        err.contains("row-level security") || err.contains("null value"),
        "insert with NULL organization_id: {err}"
    );
    // The other organization's rows cannot be touched either (USING hides
    // them from UPDATE and DELETE).
    let r = scope
        .execute_unprepared(&format!(
            "UPDATE departments SET name = 'Hijacked' WHERE id = '{theirs}'::uuid"
        ))
        .await
        .expect("update of an invisible row");
    assert_eq!(r.rows_affected(), 0, "the scope updated another organization's row");
    let r = scope
        .execute_unprepared(&format!(
            "DELETE FROM departments WHERE organization_id = '{}'::uuid",
            b.id
        ))
        .await
        .expect("delete of invisible rows");
    assert_eq!(r.rows_affected(), 0, "the scope deleted another organization's rows");
    scope.finish().await.expect("commit scope");

    // The owner sees exactly what was there before.
    assert_eq!(departments_snapshot(&app.db).await, before);
}

// ---------------------------------------------------------------------------
// 4. The runtime role cannot switch RLS off or become the owner
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runtime_role_cannot_escape_rls() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    let a = app.org("acme").await;
    employee(&app, &a.admin, "A-1", None, None).await;

    let row = app
        .runtime
        .query_one_raw(sql(
            "SELECT current_user::text AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
        ))
        .await
        .expect("runtime role attributes")
        .expect("the runtime role is in pg_roles");
    let name: String = row.try_get("", "name").expect("name");
    let flags: (bool, bool) = (
        row.try_get("", "rolsuper").expect("rolsuper"),
        row.try_get("", "rolbypassrls").expect("rolbypassrls"),
    );
    assert_eq!(name, RUNTIME_ROLE);
    assert_eq!(flags, (false, false), "(rolsuper, rolbypassrls) of {name}");

    let owner: String = app
        .db
        .query_one_raw(sql(
            "SELECT tableowner::text AS owner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'employees'",
        ))
        .await
        .expect("owner of employees")
        .expect("employees exists")
        .try_get("", "owner")
        .expect("owner");
    assert_ne!(owner, RUNTIME_ROLE, "the runtime role owns employees");

    let mut attempts = vec![
        "TRUNCATE employees".to_string(),
        "TRUNCATE employees CASCADE".to_string(),
        "ALTER TABLE employees DISABLE ROW LEVEL SECURITY".to_string(),
        "ALTER TABLE employees NO FORCE ROW LEVEL SECURITY".to_string(),
        "DROP POLICY tenant_isolation ON employees".to_string(),
        "ALTER POLICY tenant_isolation ON employees USING (true)".to_string(),
        "CREATE POLICY leak ON employees USING (true)".to_string(),
        format!("ALTER TABLE employees OWNER TO {RUNTIME_ROLE}"),
        format!("SET ROLE {owner}"),
        format!("SET SESSION AUTHORIZATION {owner}"),
        format!("ALTER ROLE {RUNTIME_ROLE} BYPASSRLS"),
        format!("ALTER ROLE {RUNTIME_ROLE} SUPERUSER"),
        // With row_security off, a query RLS applies to errors instead of
        // silently ignoring the policies.
        "SET LOCAL row_security = off; SELECT count(*) FROM employees".to_string(),
    ];
    if owner != "postgres" {
        attempts.push("SET ROLE postgres".to_string());
    }
    for statement in &attempts {
        let err = refused_as_runtime(&app.runtime, statement).await;
        assert!(
            [
                "permission denied",
                "must be owner",
                "must be superuser",
                "row-level security"
            ]
            .iter()
            .any(|m| err.contains(m)),
            "{statement}: refused for an unexpected reason: {err}"
        );
    }

    // Nothing changed: RLS is still enabled and forced, the policy is there
    // and the row survived.
    let row = app
        .db
        .query_one_raw(sql("SELECT c.relrowsecurity AS rls, c.relforcerowsecurity AS force,
                    (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
                    (SELECT count(*) FROM employees) AS n
               FROM pg_class c WHERE c.oid = 'employees'::regclass"))
        .await
        .expect("owner view of employees")
        .expect("one row");
    let state: (bool, bool, i64, i64) = (
        row.try_get("", "rls").expect("rls"),
        row.try_get("", "force").expect("force"),
        row.try_get("", "policies").expect("policies"),
        row.try_get("", "n").expect("n"),
    );
    assert_eq!(state, (true, true, 1, 1), "(rls, force, policies, rows) of employees");
}

// ---------------------------------------------------------------------------
// 5. Concurrent requests of two organizations never mix
// ---------------------------------------------------------------------------

const EVERYTHING: &str = "{
    organization { id slug }
    me { id }
    employees(first: 50) { totalCount nodes { id employeeCode department { id } } }
    departments(first: 50) { totalCount nodes { id employees { id employeeCode } } }
}";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_of_two_orgs_never_mix() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    let a = app.org("acme").await;
    let b = app.org("globex").await;
    // acme: 3 employees in 2 departments; globex: 5 employees in 1.
    let eng = department(&app, &a.admin, "Engineering", None).await;
    let sales = department(&app, &a.admin, "Sales", None).await;
    employee(&app, &a.admin, "A-1", Some(&eng), None).await;
    employee(&app, &a.admin, "A-2", Some(&eng), None).await;
    employee(&app, &a.admin, "A-3", Some(&sales), None).await;
    let ops = department(&app, &b.admin, "Operations", None).await;
    for code in ["B-1", "B-2", "B-3", "B-4", "B-5"] {
        employee(&app, &b.admin, code, Some(&ops), None).await;
    }

    struct Side {
        org: Uuid,
        slug: String,
        token: String,
        prefix: &'static str,
        employees: usize,
        departments: usize,
        /// Every id of the organization (itself, users, departments, employees).
        ids: BTreeSet<Uuid>,
    }
    let mut sides = Vec::new();
    for (org, prefix, employees, departments) in [(&a, "A-", 3, 2), (&b, "B-", 5, 1)] {
        let mut ids = BTreeSet::from([org.id]);
        for table in ["users", "departments", "employees"] {
            ids.extend(owner_ids(&app.db, table, org.id).await);
        }
        sides.push(Side {
            org: org.id,
            slug: org.slug.clone(),
            token: org.admin.clone(),
            prefix,
            employees,
            departments,
            ids,
        });
    }
    let sides = Arc::new(sides);

    const REQUESTS: usize = 200;
    let limit = Arc::new(Semaphore::new(50));
    let mut tasks = JoinSet::new();
    for i in 0..REQUESTS {
        let side = i % 2;
        let (client, base, limit, sides) = (app.client.clone(), app.url.clone(), limit.clone(), sides.clone());
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await.expect("semaphore");
            let (status, body) = post_gql(&client, &base, &sides[side].token, EVERYTHING, json!({})).await;
            (i, side, status, body)
        });
    }

    let mut answered = [0usize; 2];
    while let Some(joined) = tasks.join_next().await {
        let (i, side, status, body) = joined.expect("request task");
        let me = &sides[side];
        assert_eq!(status, StatusCode::OK, "request {i} ({}): {body}", me.slug);
        assert!(body.get("errors").is_none(), "request {i} ({}): {body}", me.slug);
        let data = &body["data"];
        assert_eq!(data["organization"]["slug"], me.slug.as_str(), "request {i}: {body}");
        assert_eq!(uuid_of(data["organization"]["id"].as_str().expect("org id")), me.org);
        assert_eq!(
            data["employees"]["totalCount"], me.employees,
            "request {i} ({}): {body}",
            me.slug
        );
        assert_eq!(
            data["departments"]["totalCount"], me.departments,
            "request {i} ({}): {body}",
            me.slug
        );
        let nodes = data["employees"]["nodes"].as_array().expect("employee nodes");
        assert_eq!(nodes.len(), me.employees, "request {i} ({}): {body}", me.slug);
        let codes: Vec<&str> = nodes
            .iter()
            .chain(
                data["departments"]["nodes"]
                    .as_array()
                    .expect("department nodes")
                    .iter()
                    .flat_map(|d| d["employees"].as_array().expect("members")),
            )
            .map(|n| n["employeeCode"].as_str().expect("code"))
            .collect();
        assert_eq!(codes.len(), 2 * me.employees, "request {i} ({}): {body}", me.slug);
        assert!(
            codes.iter().all(|c| c.starts_with(me.prefix)),
            "request {i} ({}) got another organization's codes: {codes:?}",
            me.slug
        );
        for id in ids_in(data) {
            assert!(
                me.ids.contains(&split_gid(&id).1),
                "request {i} ({}) got id {id} that is not its organization's: {body}",
                me.slug
            );
        }
        answered[side] += 1;
    }
    assert_eq!(answered, [REQUESTS / 2, REQUESTS / 2]);
}

// ---------------------------------------------------------------------------
// 6. Mutation savepoints
// ---------------------------------------------------------------------------

const FAIL_THEN_SUCCEED: &str = "mutation($emp: CreateEmployeeInput!, $dept: CreateDepartmentInput!) {
    a: createEmployee(input: $emp) { employee { id } }
    b: createDepartment(input: $dept) { department { id name } }
}";

const SUCCEED_THEN_FAIL: &str = "mutation($emp: CreateEmployeeInput!, $dept: CreateDepartmentInput!) {
    a: createDepartment(input: $dept) { department { id name } }
    b: createEmployee(input: $emp) { employee { id } }
}";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_mutation_rolls_back_to_its_savepoint() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    let a = app.org("acme").await;
    employee(&app, &a.admin, "A-1", None, None).await;
    let employees_before = owner_ids(&app.db, "employees", a.id).await;
    let mut departments = owner_ids(&app.db, "departments", a.id).await;
    assert_eq!(employees_before.len(), 1);

    for (query, failing, succeeding, name) in [
        (FAIL_THEN_SUCCEED, "a", "b", "After a failure"),
        (SUCCEED_THEN_FAIL, "b", "a", "Before a failure"),
    ] {
        // The duplicate code fails in the database (a unique violation):
        // without the savepoint it would abort the request's transaction.
        let body = app
            .gql(
                &a.admin,
                query,
                json!({
                    "emp": {
                        "employeeCode": "A-1", "firstName": "Ghost", "lastName": "Writer",
                        "email": "ghost@example.com", "jobTitle": "Nobody", "hireDate": "2024-01-15",
                    },
                    "dept": { "name": name },
                }),
            )
            .await;
        let errors = body["errors"].as_array().unwrap_or_else(|| panic!("no errors: {body}"));
        assert_eq!(errors.len(), 1, "{body}");
        assert_eq!(code(&body), "CONFLICT", "{body}");
        assert_eq!(errors[0]["path"], json!([failing]), "{body}");
        let created = &body["data"][succeeding]["department"];
        assert_eq!(created["name"], name, "{body}");
        let id = uuid_of(
            created["id"]
                .as_str()
                .unwrap_or_else(|| panic!("no department: {body}")),
        );

        // The successful field committed; the failed one wrote nothing.
        let now = owner_ids(&app.db, "departments", a.id).await;
        departments.insert(id);
        assert_eq!(now, departments, "{body}");
        assert_eq!(owner_ids(&app.db, "employees", a.id).await, employees_before, "{body}");
        let ghosts = scalar_i64(
            &app.db,
            "SELECT count(*) AS n FROM employees WHERE first_name = 'Ghost'",
        )
        .await;
        assert_eq!(ghosts, 0, "{body}");
    }
}

// ---------------------------------------------------------------------------
// 7. The start-up audit
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_passes_on_the_migrated_database() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    let report = audit(&app.runtime).await.expect("audit");
    assert!(report.passed(), "{}", report.table());
    for table in TENANT_TABLES {
        for check in [
            "RLS enabled",
            "RLS forced",
            "policy USING + WITH CHECK",
            "runtime role not owner",
            "runtime role cannot TRUNCATE",
            "primary key has organization_id",
        ] {
            assert!(
                report
                    .findings
                    .iter()
                    .any(|f| f.subject == table && f.check == check && f.ok),
                "no passing {check:?} finding for {table}:\n{}",
                report.table()
            );
        }
        let policy = report
            .findings
            .iter()
            .find(|f| f.subject == table && f.check == "policy USING + WITH CHECK")
            .expect("policy finding");
        assert!(policy.detail.starts_with("tenant_isolation:"), "{}", policy.detail);
    }
    let role = format!("role {RUNTIME_ROLE}");
    for check in ["not superuser", "cannot bypass RLS"] {
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.subject == role && f.check == check && f.ok),
            "no passing {check:?} finding for {role}:\n{}",
            report.table()
        );
    }
    check_postgres(&app.runtime).await.expect("check_postgres passes");
}

/// Build the server on a broken database: it must refuse, naming `what`.
async fn refuses_to_serve(runtime: &DatabaseConnection, runtime_url: &str, what: &str) {
    let err = check_postgres(runtime)
        .await
        .expect_err("check_postgres passed a broken database");
    let msg = format!("{err:#}");
    assert!(msg.contains(what), "check_postgres error does not name {what}: {msg}");
    let Err(err) = App::with_database(&test_config(runtime_url), runtime.clone()).await else {
        panic!("App::with_database served a database where {what} is broken");
    };
    let msg = format!("{err:#}");
    assert!(
        msg.contains(what),
        "App::with_database error does not name {what}: {msg}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_fails_without_the_policy() {
    let Some(_app) = TestApp::spawn_postgres().await else {
        return;
    };
    let db = FreshDb::migrated().await;
    db.as_owner("DROP POLICY tenant_isolation ON departments").await;
    let runtime = db.runtime().await;
    let report = audit(&runtime).await.expect("audit");
    assert!(!report.passed(), "{}", report.table());
    assert_eq!(
        failed(&report),
        fail("departments", "policy USING + WITH CHECK"),
        "{}",
        report.table()
    );
    refuses_to_serve(&runtime, &db.runtime_url, "departments").await;
    runtime.close().await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_fails_without_force() {
    let Some(_app) = TestApp::spawn_postgres().await else {
        return;
    };
    let db = FreshDb::migrated().await;
    db.as_owner("ALTER TABLE employees NO FORCE ROW LEVEL SECURITY").await;
    let runtime = db.runtime().await;
    let report = audit(&runtime).await.expect("audit");
    assert!(!report.passed(), "{}", report.table());
    assert_eq!(failed(&report), fail("employees", "RLS forced"), "{}", report.table());
    refuses_to_serve(&runtime, &db.runtime_url, "employees").await;
    runtime.close().await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_fails_with_an_extra_permissive_policy() {
    let Some(_app) = TestApp::spawn_postgres().await else {
        return;
    };
    let db = FreshDb::migrated().await;
    db.as_owner("CREATE POLICY leak ON users USING (true)").await;
    let runtime = db.runtime().await;
    let report = audit(&runtime).await.expect("audit");
    assert!(!report.passed(), "{}", report.table());
    assert_eq!(
        failed(&report),
        fail("users", "no extra permissive policy"),
        "{}",
        report.table()
    );
    let leak = report.failures().next().expect("one failure");
    assert!(leak.detail.starts_with("leak:"), "{}", leak.detail);
    // The tenant policy itself still passes next to it.
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.subject == "users" && f.check == "policy USING + WITH CHECK" && f.ok),
        "{}",
        report.table()
    );
    refuses_to_serve(&runtime, &db.runtime_url, "users").await;
    runtime.close().await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_fails_for_a_runtime_role_that_bypasses_rls() {
    let Some(_app) = TestApp::spawn_postgres().await else {
        return;
    };
    let db = FreshDb::migrated().await;
    // Roles are cluster-wide and tests run in parallel: create idempotently,
    // then make sure of the attribute whoever created it.
    db.as_owner(&format!(
        "DO $$ BEGIN CREATE ROLE {BYPASS_ROLE} LOGIN BYPASSRLS NOSUPERUSER;
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
         ALTER ROLE {BYPASS_ROLE} LOGIN BYPASSRLS NOSUPERUSER;"
    ))
    .await;
    let bypass_url = pg_url_with_user(&db.owner_url, BYPASS_ROLE, BYPASS_ROLE);
    let owner = connect(&db.owner_url).await.expect("connect as owner");
    let granted = grant_runtime_role(&owner, &bypass_url)
        .await
        .expect("grant the bypass role");
    assert_eq!(granted, BYPASS_ROLE);
    owner.close().await.ok();

    let runtime = connect(&bypass_url).await.expect("connect as the bypass role");
    let report = audit(&runtime).await.expect("audit");
    assert!(!report.passed(), "{}", report.table());
    assert_eq!(
        failed(&report),
        fail(&format!("role {BYPASS_ROLE}"), "cannot bypass RLS"),
        "{}",
        report.table()
    );
    refuses_to_serve(&runtime, &bypass_url, "cannot bypass RLS").await;
    runtime.close().await.ok();
}

// ---------------------------------------------------------------------------
// 8. hrms doctor
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_prints_the_audit_and_fails_on_drift() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };

    // The migrated database: exit 0, every table forced under its policy,
    // the runtime role's attributes.
    let out = doctor(&app.config.database_url).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "doctor failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    let rows = doctor_rows(&stdout);
    assert!(!rows.is_empty(), "no report rows:\n{stdout}");
    assert!(rows.iter().all(|(mark, ..)| *mark == "ok"), "{stdout}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    for table in TENANT_TABLES {
        assert!(
            rows.iter()
                .any(|(_, s, rest)| *s == table && rest.starts_with("RLS forced") && rest.ends_with("FORCE")),
            "no FORCE line for {table}:\n{stdout}"
        );
        assert!(
            rows.iter().any(|(_, s, rest)| *s == table
                && rest.starts_with("policy USING + WITH CHECK")
                && rest.contains("tenant_isolation:")),
            "no policy line for {table}:\n{stdout}"
        );
    }
    let role = format!("role {RUNTIME_ROLE}");
    for attribute in ["NOSUPERUSER", "NOBYPASSRLS"] {
        assert!(
            rows.iter().any(|(_, s, rest)| *s == role && rest.ends_with(attribute)),
            "no {attribute} line for {role}:\n{stdout}"
        );
    }
    assert!(stdout.contains("audit passed"), "{stdout}");

    // A broken database: non-zero, the failing table named.
    let db = FreshDb::migrated().await;
    db.as_owner("DROP POLICY tenant_isolation ON departments").await;
    let out = doctor(&db.runtime_url).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "doctor passed a database without the departments policy:\n{stdout}\n{stderr}"
    );
    assert!(out.status.code().is_some(), "doctor was killed: {}", out.status);
    let rows = doctor_rows(&stdout);
    let failures: Vec<_> = rows.iter().filter(|(mark, ..)| *mark == "FAIL").collect();
    assert_eq!(failures.len(), 1, "{stdout}");
    assert_eq!(failures[0].1, "departments", "{stdout}");
    assert!(failures[0].2.starts_with("policy USING + WITH CHECK"), "{stdout}");
    assert!(stdout.contains("audit FAILED"), "{stdout}");
}
