//! The integration suite: one test binary. Every test runs twice, on a
//! fresh SQLite file and on a fresh PostgreSQL database (when
//! `HRMS_TEST_POSTGRES_URL` is set; `.ci/run` sets it and
//! `HRMS_TEST_REQUIRE_POSTGRES=1`, which turns a missing server into a
//! failure instead of a skip).

mod helpers;

mod auth;
mod departments;
mod employees;
mod isolation;
mod rls;
mod roles;
mod schema;
mod statements;
mod users;
