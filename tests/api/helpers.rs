//! Test helpers: a real server on port 0 over a fresh database, a GraphQL
//! client, and fixtures that build organizations through the real code
//! paths (the operator service and the GraphQL API).

#![allow(dead_code)]

use std::{net::SocketAddr, time::Duration};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hrms::{
    auth::JwtKeys,
    config::{Config, Env, Secret},
    organizations,
    startup::{App, connect, migrate, migrate_all},
};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use uuid::Uuid;

pub const TEST_SECRET: &str = "test-secret-0123456789-0123456789-abcdef";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generate `mod $name { sqlite, postgres }` tests that run the async fn
/// `$name(app: TestApp)` on each backend.
#[macro_export]
macro_rules! dual {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await;
                super::$name(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = $crate::helpers::TestApp::spawn_postgres().await {
                    super::$name(app).await;
                }
            }
        }
    )+};
}

pub struct TestApp {
    pub backend: Backend,
    pub url: String,
    pub client: reqwest::Client,
    /// The owner connection (a superuser on PostgreSQL: RLS does not apply),
    /// for checking what was (not) written across organizations.
    pub db: DatabaseConnection,
    /// The server's own connection (the runtime role on PostgreSQL), for
    /// fixtures made through the operator path.
    pub runtime: DatabaseConnection,
    pub jwt: JwtKeys,
    pub config: Config,
    shutdown: Option<oneshot::Sender<()>>,
    _tmp: Option<tempfile::TempDir>,
    pg_database: Option<(String, String)>,
}

fn test_config(database_url: String) -> Config {
    let listen: SocketAddr = "127.0.0.1:0".parse().expect("literal address");
    Config::new(Env::Dev, database_url, listen, Secret::new(TEST_SECRET))
}

/// The runtime role the PostgreSQL tests' servers connect as (created by
/// `migrate_all`; a test-only password, trust auth on this machine).
pub const RUNTIME_ROLE: &str = "hrms_test_app";

/// Create an empty database; returns (owner URL, runtime URL, name).
pub async fn fresh_postgres_database(base: &str) -> (String, String, String) {
    let name = format!("hrms_test_{}", uuid::Uuid::new_v4().simple());
    let admin = connect(base).await.expect("connect to HRMS_TEST_POSTGRES_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let owner_url = pg_url_with_db(base, &name);
    let runtime_url = pg_url_with_user(&owner_url, RUNTIME_ROLE, RUNTIME_ROLE);
    (owner_url, runtime_url, name)
}

/// Replace the user and password of a postgres:// URL.
pub fn pg_url_with_user(url: &str, user: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("postgres:// URL");
    let host = rest.split_once('@').map_or(rest, |(_, h)| h);
    format!("{scheme}://{user}:{password}@{host}")
}

pub fn pg_url_with_db(base: &str, db: &str) -> String {
    // Replace the path (database name) of a postgres:// URL.
    let (head, query) = match base.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (base, None),
    };
    let scheme_end = head.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = head[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(head.len());
    let mut url = format!("{}/{}", &head[..path_start], db);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        match backend {
            Backend::Sqlite => {
                let tmp = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", tmp.path().join("test.db").display());
                Self::start(backend, url.clone(), url, Some(tmp), None).await
            }
            Backend::Postgres => Self::spawn_postgres().await.expect("HRMS_TEST_POSTGRES_URL"),
        }
    }

    /// A fresh PostgreSQL database, or `None` (skip) when
    /// `HRMS_TEST_POSTGRES_URL` is not set and not required. Migrated as the
    /// owner (the URL's user); the app connects as the runtime role
    /// [`RUNTIME_ROLE`], so row-level security is in force for every test.
    pub async fn spawn_postgres() -> Option<TestApp> {
        let Ok(base) = std::env::var("HRMS_TEST_POSTGRES_URL") else {
            if std::env::var("HRMS_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("HRMS_TEST_REQUIRE_POSTGRES=1 but HRMS_TEST_POSTGRES_URL is not set");
            }
            eprintln!("skipped: HRMS_TEST_POSTGRES_URL is not set");
            return None;
        };
        let (owner_url, runtime_url, name) = fresh_postgres_database(&base).await;
        migrate_all(&runtime_url, Some(&owner_url))
            .await
            .expect("migrate as owner");
        Some(Self::start(Backend::Postgres, runtime_url, owner_url, None, Some((base, name))).await)
    }

    async fn start(
        backend: Backend,
        url: String,
        owner_url: String,
        tmp: Option<tempfile::TempDir>,
        pg_database: Option<(String, String)>,
    ) -> TestApp {
        let config = test_config(url.clone());
        let db = connect(&owner_url).await.expect("connect as owner");
        if backend == Backend::Sqlite {
            migrate(&db).await.expect("migrate");
        }
        let runtime = connect(&url).await.expect("connect as runtime role");
        let app = App::with_database(&config, runtime.clone()).await.expect("build app");
        let port = app.port();
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(app.run_until_stopped(async {
            let _ = rx.await;
        }));
        TestApp {
            backend,
            url: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client"),
            db,
            runtime,
            jwt: JwtKeys::new(&config.jwt),
            config,
            shutdown: Some(tx),
            _tmp: tmp,
            pg_database,
        }
    }

    /// POST a GraphQL operation; returns the HTTP status and JSON body.
    pub async fn gql_raw(&self, token: Option<&str>, query: &str, variables: Value) -> (StatusCode, Value) {
        self.gql_with_header(token.map(|t| format!("Bearer {t}")), query, variables)
            .await
    }

    /// The body without the top-level `extensions` (the statement counts,
    /// which depend on cache state), so two answers can be compared whole.
    pub async fn gql_with_header(&self, auth: Option<String>, query: &str, variables: Value) -> (StatusCode, Value) {
        let (status, mut body) = self.gql_full(auth, query, variables).await;
        if let Some(obj) = body.as_object_mut() {
            obj.remove("extensions");
        }
        (status, body)
    }

    /// The whole response body, `extensions` included.
    pub async fn gql_full(&self, auth: Option<String>, query: &str, variables: Value) -> (StatusCode, Value) {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.url))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let body: Value = res.json().await.expect("json body");
        (status, body)
    }

    /// A GraphQL operation that must answer HTTP 200; returns the body.
    pub async fn gql(&self, token: &str, query: &str, variables: Value) -> Value {
        let (status, body) = self.gql_raw(Some(token), query, variables).await;
        assert_eq!(status, StatusCode::OK, "body: {body}");
        body
    }

    /// Like [`gql`], and the operation must succeed without errors.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Value {
        let body = self.gql(token, query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let res = self
            .client
            .get(format!("{}{}", self.url, path))
            .send()
            .await
            .expect("request");
        (res.status(), res.text().await.unwrap_or_default())
    }

    /// Log in; returns the `login` payload.
    pub async fn login(&self, slug: &str, email: &str, password: &str) -> Value {
        let (status, body) = self
            .gql_raw(
                None,
                LOGIN,
                json!({ "input": { "organizationSlug": slug, "email": email, "password": password } }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// Log in and return the access token (the login must succeed).
    pub async fn token(&self, slug: &str, email: &str, password: &str) -> String {
        let body = self.login(slug, email, password).await;
        body["data"]["login"]["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("login failed: {body}"))
            .to_string()
    }

    /// Create an organization with an admin (the `hrms org create` path)
    /// and log the admin in.
    pub async fn org(&self, slug: &str) -> Org {
        let email = format!("admin@{slug}.test");
        let password = format!("{slug}-admin-password");
        let (org, _) = organizations::service::create(&self.runtime, slug, &format!("{slug} Inc"), &email, &password)
            .await
            .unwrap_or_else(|e| panic!("create org: {} {}", e.code(), e.message()));
        let token = self.token(slug, &email, &password).await;
        Org {
            id: org.id,
            slug: slug.to_string(),
            admin_email: email,
            admin_password: password,
            admin: token,
        }
    }

    /// Number of rows in a table (all organizations), via the owner
    /// connection.
    pub async fn count(&self, table: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count query")
            .expect("one row");
        row.try_get::<i64>("", "n").expect("count value")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some((base, name)) = self.pg_database.take() {
            drop_postgres_database(base, name);
        }
    }
}

/// Drop a test database (WITH FORCE). Called from `Drop`, which cannot
/// await: it runs on a runtime of its own on another thread.
pub fn drop_postgres_database(base: String, name: String) {
    let _ = std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
            return;
        };
        rt.block_on(async {
            if let Ok(admin) = connect(&base).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
                admin.close().await.ok();
            }
        });
    })
    .join();
}

/// An organization made for a test, with its admin logged in.
pub struct Org {
    pub id: uuid::Uuid,
    pub slug: String,
    pub admin_email: String,
    pub admin_password: String,
    /// The admin's access token.
    pub admin: String,
}

pub const LOGIN: &str = "mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken expiresAt user { id email role } organization { id slug name } } }";

pub const CREATE_DEPARTMENT: &str = "mutation($input: CreateDepartmentInput!) { createDepartment(input: $input) { department { id name parent { id } } } }";

pub const CREATE_EMPLOYEE: &str = "mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { employee { id employeeCode firstName lastName department { id } manager { id } status } } }";

pub const CREATE_USER: &str =
    "mutation($input: CreateUserInput!) { createUser(input: $input) { user { id email role isActive } } }";

/// Create a department as `token`; returns its id.
pub async fn department(app: &TestApp, token: &str, name: &str, parent: Option<&str>) -> String {
    let data = app
        .ok(
            token,
            CREATE_DEPARTMENT,
            json!({ "input": { "name": name, "parentId": parent } }),
        )
        .await;
    data["createDepartment"]["department"]["id"]
        .as_str()
        .expect("department id")
        .to_string()
}

/// Create an employee as `token`; returns its id.
pub async fn employee(
    app: &TestApp,
    token: &str,
    code: &str,
    department: Option<&str>,
    manager: Option<&str>,
) -> String {
    let data = app
        .ok(
            token,
            CREATE_EMPLOYEE,
            json!({ "input": {
                "employeeCode": code,
                "firstName": format!("First{code}"),
                "lastName": format!("Last{code}"),
                "email": format!("{}@example.com", code.to_lowercase()),
                "jobTitle": "Engineer",
                "hireDate": "2024-01-15",
                "departmentId": department,
                "managerId": manager,
            } }),
        )
        .await;
    data["createEmployee"]["employee"]["id"]
        .as_str()
        .expect("employee id")
        .to_string()
}

/// Create a user as the org's admin and log them in; returns (user id, token).
pub async fn user_with_role(app: &TestApp, org: &Org, role: &str, employee: Option<&str>) -> (String, String) {
    let email = format!("{}@{}.test", role.to_lowercase(), org.slug);
    let password = format!("{}-{}-password", org.slug, role.to_lowercase());
    let data = app
        .ok(
            &org.admin,
            CREATE_USER,
            json!({ "input": { "email": email, "password": password, "role": role, "employeeId": employee } }),
        )
        .await;
    let id = data["createUser"]["user"]["id"].as_str().expect("user id").to_string();
    let token = app.token(&org.slug, &email, &password).await;
    (id, token)
}

/// A global id, encoded the way `src/ids.rs` does: base64url of `Kind:uuid`.
pub fn gid(kind: &str, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

/// The `(kind, uuid)` inside a global id.
pub fn split_gid(global: &str) -> (String, Uuid) {
    let raw = URL_SAFE_NO_PAD
        .decode(global)
        .unwrap_or_else(|e| panic!("{global} is not base64url: {e}"));
    let text = String::from_utf8(raw).expect("global id is UTF-8");
    let (kind, uuid) = text.split_once(':').expect("global id is Kind:uuid");
    (kind.to_string(), Uuid::parse_str(uuid).expect("global id holds a UUID"))
}

/// The UUID inside a global id.
pub fn uuid_of(global: &str) -> Uuid {
    split_gid(global).1
}

/// Every string under an `id` key anywhere in a JSON tree.
pub fn ids_in(v: &Value) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("id", Value::String(s)) => out.push(s.clone()),
                        _ => walk(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &mut out);
    out
}

/// The `extensions.code` of the first error.
pub fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<no error code>")
}

/// The first error with its code, without the path (which differs by
/// field), for comparing two errors.
pub fn error_shape(body: &Value) -> (String, String) {
    (
        body["errors"][0]["message"].as_str().unwrap_or_default().to_string(),
        code(body).to_string(),
    )
}

/// `hrms seed` into the test database through the server's own connection
/// (the runtime role on PostgreSQL, as the CLI runs it).
pub async fn seed(app: &TestApp, orgs: usize, employees_per_org: usize, days: u64) {
    let plan = hrms::seed::SeedPlan {
        orgs,
        employees_per_org,
        days,
    };
    hrms::seed::run(&app.runtime, &plan)
        .await
        .map_err(|e| e.message().to_string())
        .expect("seed");
}
