//! hrms-gateway: a multi-tenant HR GraphQL API.
//!
//! # Layout
//!
//! Imports run one way, top to bottom:
//!
//! - [`startup`], [`http`]: build the app, the router and the request
//!   middleware (layer 1: token → [`tenancy::OrgContext`]).
//! - [`graphql`]: schema assembly (merged roots, `node(id:)`, limits).
//! - Areas, one folder each — GraphQL types and thin resolvers, plus a
//!   service with the rules: [`sessions`] (login/refresh/logout),
//!   [`organizations`], [`users`], [`departments`], [`employees`],
//!   [`attendance`].
//! - [`scope`], [`loaders`], [`ids`], [`scalars`]: the per-request scope,
//!   dataloaders, pagination, global IDs and fast output scalars every area
//!   uses.
//! - [`auth`]: JWTs, passwords, refresh tokens, status cache.
//! - [`tenancy`]: `OrgContext`, the `OrgFilter` trait, the org-scoped handle
//!   `OrgDb` (layers 2 and 3) and reference guards (layer 4).
//! - [`entity`]: SeaORM entities (never GraphQL types).
//! - [`error`]: the one error enum and its one mapping to GraphQL errors.
//! - [`config`], [`cli`], [`demo`], [`seed`]: configuration, command line,
//!   demo data, bulk data for benchmarks.

pub mod attendance;
pub mod auth;
pub mod cli;
pub mod config;
pub mod demo;
pub mod departments;
pub mod employees;
pub mod entity;
pub mod error;
pub mod graphql;
pub mod http;
pub mod ids;
pub mod loaders;
pub mod organizations;
pub mod scalars;
pub mod scope;
pub mod seed;
pub mod sessions;
pub mod startup;
pub mod tenancy;
pub mod users;
