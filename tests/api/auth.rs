//! Authentication: login, the access-token checks of the request middleware
//! (signature, algorithm, time and audience claims, organization binding),
//! the status checks (inactive organization, suspended subscription,
//! deactivated user), and refresh-token rotation, replay protection and
//! logout.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hrms::{
    auth::{Claims, JwtKeys},
    config::{JwtConfig, Secret},
    entity::enums::SubscriptionStatus,
    organizations,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{dual, helpers::*};

const ME: &str = "{ me { email } }";
const ME_FULL: &str = "{ me { id email role organization { slug } } }";
const REFRESH: &str = "mutation($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken refreshToken expiresAt user { id email } organization { slug } } }";
const LOGOUT: &str = "mutation($input: LogoutInput!) { logout(input: $input) { revoked } }";
const UPDATE_USER: &str =
    "mutation($input: UpdateUserInput!) { updateUser(input: $input) { user { id role isActive } } }";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The claims of a token the server issued (read, not verified).
fn claims_of(token: &str) -> Claims {
    let payload = token.split('.').nth(1).expect("a JWT has a payload segment");
    let bytes = URL_SAFE_NO_PAD.decode(payload).expect("base64url payload");
    serde_json::from_slice(&bytes).expect("claims JSON")
}

/// `header.payload.signature` with the payload replaced and the original
/// signature kept.
fn with_payload(token: &str, claims: &Claims) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT has three segments");
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialize"));
    format!("{}.{}.{}", parts[0], payload, parts[2])
}

/// Create a user as the org's admin; returns the user's global id.
async fn create_user(app: &TestApp, org: &Org, email: &str, password: &str, role: &str) -> String {
    let data = app
        .ok(
            &org.admin,
            CREATE_USER,
            json!({ "input": { "email": email, "password": password, "role": role } }),
        )
        .await;
    data["createUser"]["user"]["id"].as_str().expect("user id").to_string()
}

async fn update_user(app: &TestApp, org: &Org, input: Value) -> Value {
    app.ok(&org.admin, UPDATE_USER, json!({ "input": input })).await
}

/// Exchange a refresh token; returns the whole response body.
async fn refresh(app: &TestApp, token: &str) -> Value {
    let (status, body) = app
        .gql_raw(None, REFRESH, json!({ "input": { "refreshToken": token } }))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Exchange a refresh token that must work; returns (access, refresh).
async fn refresh_ok(app: &TestApp, token: &str) -> (String, String) {
    let body = refresh(app, token).await;
    assert!(body.get("errors").is_none(), "refresh failed: {body}");
    let p = &body["data"]["refreshToken"];
    (
        p["accessToken"].as_str().expect("accessToken").to_string(),
        p["refreshToken"].as_str().expect("refreshToken").to_string(),
    )
}

/// Exchange a refresh token that must be refused.
async fn refresh_refused(app: &TestApp, token: &str) {
    let body = refresh(app, token).await;
    assert_eq!(code(&body), "UNAUTHENTICATED", "{body}");
    assert!(body["data"].is_null(), "{body}");
}

async fn logout(app: &TestApp, token: &str) -> bool {
    let (status, body) = app
        .gql_raw(None, LOGOUT, json!({ "input": { "refreshToken": token } }))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["data"]["logout"]["revoked"]
        .as_bool()
        .unwrap_or_else(|| panic!("logout failed: {body}"))
}

/// A login that must succeed; returns the `login` payload.
async fn login_ok(app: &TestApp, slug: &str, email: &str, password: &str) -> Value {
    let body = app.login(slug, email, password).await;
    assert!(body.get("errors").is_none(), "login failed: {body}");
    body["data"]["login"].clone()
}

/// `{ me { email } }` with `token`; returns the HTTP status and body.
async fn me_status(app: &TestApp, token: &str) -> (StatusCode, Value) {
    app.gql_raw(Some(token), ME, json!({})).await
}

async fn assert_status(app: &TestApp, token: &str, want: StatusCode, want_code: &str, what: &str) {
    let (status, body) = me_status(app, token).await;
    assert_eq!(status, want, "{what}: {body}");
    assert_eq!(code(&body), want_code, "{what}: {body}");
    assert!(body["data"].is_null(), "{what} must not return data: {body}");
}

async fn login_returns_tokens_and_me_works(app: TestApp) {
    let org = app.org("acme").await;
    let login = login_ok(&app, "acme", &org.admin_email, &org.admin_password).await;

    let access = login["accessToken"].as_str().expect("accessToken");
    assert!(!access.is_empty());
    let refresh_token = login["refreshToken"].as_str().expect("refreshToken");
    assert!(!refresh_token.is_empty());
    assert_ne!(access, refresh_token);
    let expires_at = chrono::DateTime::parse_from_rfc3339(login["expiresAt"].as_str().expect("expiresAt"))
        .expect("expiresAt is RFC 3339");
    let left = expires_at.timestamp() - now();
    assert!((60..=24 * 3600).contains(&left), "access token lifetime {left}s");
    assert_eq!(login["user"]["email"], org.admin_email.as_str());
    assert_eq!(login["user"]["role"], "ADMIN");
    assert_eq!(login["organization"]["slug"], "acme");
    assert_eq!(login["organization"]["name"], "acme Inc");

    let me = app.ok(access, ME_FULL, json!({})).await;
    assert_eq!(me["me"]["email"], org.admin_email.as_str());
    assert_eq!(me["me"]["role"], "ADMIN");
    assert_eq!(me["me"]["organization"]["slug"], "acme");
    assert_eq!(me["me"]["id"], login["user"]["id"]);
}

async fn same_email_in_two_organizations_is_two_users(app: TestApp) {
    let acme = app.org("acme").await;
    let globex = app.org("globex").await;
    let email = "shared@example.com";
    let acme_id = create_user(&app, &acme, email, "acme-shared-password", "EMPLOYEE").await;
    let globex_id = create_user(&app, &globex, email, "globex-shared-password", "HR").await;
    assert_ne!(acme_id, globex_id);

    let login = login_ok(&app, "acme", email, "acme-shared-password").await;
    assert_eq!(login["user"]["id"], acme_id.as_str());
    let me = app
        .ok(login["accessToken"].as_str().expect("token"), ME_FULL, json!({}))
        .await;
    assert_eq!(me["me"]["organization"]["slug"], "acme");
    assert_eq!(me["me"]["role"], "EMPLOYEE");
    assert_eq!(me["me"]["id"], acme_id.as_str());

    // Acme's password does not open the globex account.
    let body = app.login("globex", email, "acme-shared-password").await;
    assert_eq!(code(&body), "UNAUTHENTICATED", "{body}");
    assert!(body["data"].is_null(), "{body}");

    let login = login_ok(&app, "globex", email, "globex-shared-password").await;
    assert_eq!(login["user"]["id"], globex_id.as_str());
    let me = app
        .ok(login["accessToken"].as_str().expect("token"), ME_FULL, json!({}))
        .await;
    assert_eq!(me["me"]["organization"]["slug"], "globex");
    assert_eq!(me["me"]["role"], "HR");
}

async fn every_login_failure_looks_the_same(app: TestApp) {
    let org = app.org("acme").await;
    let leaver = create_user(&app, &org, "leaver@acme.test", "leaver-password", "EMPLOYEE").await;
    login_ok(&app, "acme", "leaver@acme.test", "leaver-password").await;
    update_user(&app, &org, json!({ "id": leaver, "isActive": false })).await;

    let failures = [
        (
            "unknown organization",
            app.login("nope", &org.admin_email, &org.admin_password).await,
        ),
        (
            "unknown email",
            app.login("acme", "nobody@acme.test", &org.admin_password).await,
        ),
        (
            "wrong password",
            app.login("acme", &org.admin_email, "wrong-password").await,
        ),
        (
            "deactivated user",
            app.login("acme", "leaver@acme.test", "leaver-password").await,
        ),
    ];
    let expected = error_shape(&failures[0].1);
    assert_eq!(expected.1, "UNAUTHENTICATED", "{}", failures[0].1);
    assert!(!expected.0.is_empty());
    for (what, body) in &failures {
        assert!(body["data"].is_null(), "{what}: {body}");
        assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{what}: {body}");
        assert_eq!(error_shape(body), expected, "{what}: {body}");
    }
}

async fn bad_tokens_are_refused(app: TestApp) {
    let acme = app.org("acme").await;
    let globex = app.org("globex").await;
    employee(&app, &globex.admin, "GLOBEX-SECRET-1", None, None).await;
    let valid = claims_of(&acme.admin);
    assert_eq!(valid.iss, app.jwt.issuer());
    assert_eq!(valid.aud, app.jwt.audience());
    assert_eq!(valid.organization_id, acme.id.to_string());

    // The real token works.
    let (status, body) = me_status(&app, &acme.admin).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["me"]["email"], acme.admin_email.as_str());

    // No token: only public fields work; the field answers UNAUTHENTICATED.
    let (status, body) = app.gql_raw(None, ME, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(code(&body), "UNAUTHENTICATED", "{body}");
    assert!(body["data"].is_null(), "{body}");

    let unauthorized = StatusCode::UNAUTHORIZED;
    assert_status(&app, "not-a-jwt", unauthorized, "UNAUTHENTICATED", "garbage").await;

    let other_keys = JwtKeys::new(&JwtConfig {
        secret: Secret::new("another-secret-0123456789-0123456789-xyz"),
        ..app.config.jwt.clone()
    });
    let forged = other_keys.sign(&valid).expect("sign");
    assert_status(&app, &forged, unauthorized, "UNAUTHENTICATED", "other secret").await;

    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&valid).expect("claims"));
    let unsigned = format!("{header}.{payload}.");
    assert_status(&app, &unsigned, unauthorized, "UNAUTHENTICATED", "alg none").await;

    let t = now();
    let expired = Claims {
        iat: t - 3600,
        nbf: t - 3600,
        exp: t - 60,
        ..valid.clone()
    };
    let token = app.jwt.sign(&expired).expect("sign");
    assert_status(&app, &token, unauthorized, "UNAUTHENTICATED", "expired").await;

    let not_yet = Claims {
        iat: t,
        nbf: t + 600,
        exp: t + 1200,
        ..valid.clone()
    };
    let token = app.jwt.sign(&not_yet).expect("sign");
    assert_status(&app, &token, unauthorized, "UNAUTHENTICATED", "future nbf").await;

    let wrong_aud = Claims {
        aud: "some-other-api".into(),
        ..valid.clone()
    };
    let token = app.jwt.sign(&wrong_aud).expect("sign");
    assert_status(&app, &token, unauthorized, "UNAUTHENTICATED", "wrong aud").await;

    let wrong_iss = Claims {
        iss: "someone-else".into(),
        ..valid.clone()
    };
    let token = app.jwt.sign(&wrong_iss).expect("sign");
    assert_status(&app, &token, unauthorized, "UNAUTHENTICATED", "wrong iss").await;

    // Another organization's id in the payload, signature left as it was.
    let swapped = Claims {
        organization_id: globex.id.to_string(),
        organization_slug: "globex".into(),
        ..valid.clone()
    };
    let tampered = with_payload(&acme.admin, &swapped);
    assert_status(&app, &tampered, unauthorized, "UNAUTHENTICATED", "tampered payload").await;

    // Validly signed for another organization the user is not a member of:
    // refused, and nothing of that organization comes back.
    let token = app.jwt.sign(&swapped).expect("sign");
    let (status, body) = app
        .gql_raw(
            Some(&token),
            "{ me { email } organization { slug name } employees(first: 10) { nodes { employeeCode email } } }",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "FORBIDDEN", "{body}");
    assert!(body["data"].is_null(), "{body}");
    let text = body.to_string().to_lowercase();
    for leak in ["globex", "secret-1"] {
        assert!(!text.contains(leak), "{leak} in {body}");
    }

    // An organization that does not exist at all.
    let nowhere = Claims {
        organization_id: uuid::Uuid::now_v7().to_string(),
        ..valid.clone()
    };
    let token = app.jwt.sign(&nowhere).expect("sign");
    assert_status(&app, &token, StatusCode::FORBIDDEN, "FORBIDDEN", "unknown organization").await;

    // Not a bearer token at all.
    let (status, body) = app.gql_with_header(Some("Basic abc".into()), ME, json!({})).await;
    assert_eq!(status, unauthorized, "{body}");
    assert_eq!(code(&body), "UNAUTHENTICATED", "{body}");

    // None of the above broke the real token.
    let (status, _) = me_status(&app, &acme.admin).await;
    assert_eq!(status, StatusCode::OK);
}

async fn inactive_organizations_and_users_are_refused(app: TestApp) {
    let closed = app.org("closed").await;
    let suspended = app.org("suspended").await;
    let late = app.org("late").await;
    let acme = app.org("acme").await;

    // Operator changes, made before any request with these tokens (the
    // status cache does not see changes made outside the server at once).
    organizations::service::update(&app.db, "closed", Some(false), None)
        .await
        .expect("deactivate org");
    organizations::service::update(&app.db, "suspended", None, Some(SubscriptionStatus::Suspended))
        .await
        .expect("suspend org");
    organizations::service::update(&app.db, "late", None, Some(SubscriptionStatus::PastDue))
        .await
        .expect("past due org");

    assert_status(&app, &closed.admin, StatusCode::FORBIDDEN, "FORBIDDEN", "inactive org").await;
    assert_status(&app, &suspended.admin, StatusCode::FORBIDDEN, "FORBIDDEN", "suspended").await;
    // A late payment alone does not lock the organization out.
    let (status, body) = me_status(&app, &late.admin).await;
    assert_eq!(status, StatusCode::OK, "past due: {body}");
    assert_eq!(body["data"]["me"]["email"], late.admin_email.as_str());

    // Nor can their users sign in again.
    for org in [&closed, &suspended] {
        let body = app.login(&org.slug, &org.admin_email, &org.admin_password).await;
        assert_eq!(code(&body), "UNAUTHENTICATED", "{}: {body}", org.slug);
    }

    // A user deactivated through the API is refused on the very next
    // request, even with a token that has already been used.
    let id = create_user(&app, &acme, "worker@acme.test", "worker-password", "EMPLOYEE").await;
    let token = app.token("acme", "worker@acme.test", "worker-password").await;
    let (status, body) = me_status(&app, &token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["me"]["email"], "worker@acme.test");

    let data = update_user(&app, &acme, json!({ "id": id, "isActive": false })).await;
    assert_eq!(data["updateUser"]["user"]["isActive"], false);
    assert_status(&app, &token, StatusCode::FORBIDDEN, "FORBIDDEN", "deactivated user").await;
    let body = app.login("acme", "worker@acme.test", "worker-password").await;
    assert_eq!(code(&body), "UNAUTHENTICATED", "{body}");

    // Reactivated: the same token works again, and so does login.
    let data = update_user(&app, &acme, json!({ "id": id, "isActive": true })).await;
    assert_eq!(data["updateUser"]["user"]["isActive"], true);
    let (status, body) = me_status(&app, &token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["me"]["email"], "worker@acme.test");
    login_ok(&app, "acme", "worker@acme.test", "worker-password").await;

    // The admin of a healthy organization was never affected.
    let (status, _) = me_status(&app, &acme.admin).await;
    assert_eq!(status, StatusCode::OK);
}

async fn refresh_tokens_rotate_and_replay_revokes(app: TestApp) {
    let org = app.org("acme").await;
    let login = login_ok(&app, "acme", &org.admin_email, &org.admin_password).await;
    let first = login["refreshToken"].as_str().expect("refreshToken").to_string();

    let body = refresh(&app, &first).await;
    assert!(body.get("errors").is_none(), "{body}");
    let p = &body["data"]["refreshToken"];
    assert_eq!(p["user"]["email"], org.admin_email.as_str());
    assert_eq!(p["organization"]["slug"], "acme");
    assert!(p["expiresAt"].as_str().is_some_and(|s| !s.is_empty()), "{body}");
    let access = p["accessToken"].as_str().expect("accessToken").to_string();
    let second = p["refreshToken"].as_str().expect("refreshToken").to_string();
    assert_ne!(second, first);

    // The new access token works.
    let me = app.ok(&access, ME, json!({})).await;
    assert_eq!(me["me"]["email"], org.admin_email.as_str());

    // The chain continues with the newest token.
    let (_, third) = refresh_ok(&app, &second).await;
    assert_ne!(third, second);

    // The used token no longer works; presenting it again (a replay) also
    // ends the newest token of the chain.
    refresh_refused(&app, &first).await;
    refresh_refused(&app, &third).await;

    // Garbage, and a well-formed token with the wrong secret.
    refresh_refused(&app, "garbage").await;
    let fresh = login_ok(&app, "acme", &org.admin_email, &org.admin_password).await;
    let fresh = fresh["refreshToken"].as_str().expect("refreshToken").to_string();
    let (prefix, _) = fresh.rsplit_once('.').expect("token has a secret part");
    refresh_refused(&app, &format!("{prefix}.not-the-secret")).await;
    // A guessed secret does not burn the real token.
    refresh_ok(&app, &fresh).await;
}

async fn logout_revokes_the_refresh_token(app: TestApp) {
    let org = app.org("acme").await;
    let login = login_ok(&app, "acme", &org.admin_email, &org.admin_password).await;
    let token = login["refreshToken"].as_str().expect("refreshToken").to_string();

    assert!(logout(&app, &token).await, "first logout revokes");
    refresh_refused(&app, &token).await;
    assert!(!logout(&app, &token).await, "second logout has nothing to revoke");
    assert!(!logout(&app, "garbage").await);

    // Other sessions of the same user are unaffected.
    let other = login_ok(&app, "acme", &org.admin_email, &org.admin_password).await;
    refresh_ok(&app, other["refreshToken"].as_str().expect("refreshToken")).await;
}

async fn password_change_ends_sessions(app: TestApp) {
    let org = app.org("acme").await;
    let id = create_user(&app, &org, "alice@acme.test", "old-password", "EMPLOYEE").await;
    let login = login_ok(&app, "acme", "alice@acme.test", "old-password").await;
    let token = login["refreshToken"].as_str().expect("refreshToken").to_string();

    update_user(&app, &org, json!({ "id": id, "password": "new-password-123" })).await;

    refresh_refused(&app, &token).await;
    let body = app.login("acme", "alice@acme.test", "old-password").await;
    assert_eq!(code(&body), "UNAUTHENTICATED", "{body}");
    let login = login_ok(&app, "acme", "alice@acme.test", "new-password-123").await;
    assert_eq!(login["user"]["id"], id.as_str());
    let me = app
        .ok(login["accessToken"].as_str().expect("token"), ME, json!({}))
        .await;
    assert_eq!(me["me"]["email"], "alice@acme.test");
}

dual!(
    login_returns_tokens_and_me_works,
    same_email_in_two_organizations_is_two_users,
    every_login_failure_looks_the_same,
    bad_tokens_are_refused,
    inactive_organizations_and_users_are_refused,
    refresh_tokens_rotate_and_replay_revokes,
    logout_revokes_the_refresh_token,
    password_change_ends_sessions,
);
