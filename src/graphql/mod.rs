//! Schema assembly: the merged roots, `node(id:)`, limits. The top of the
//! import graph: http → graphql → areas → loaders → tenancy → entity.

mod node;
mod savepoints;

use std::sync::Arc;

use async_graphql::{EmptySubscription, MergedObject, Schema};

use crate::{
    auth::AuthService,
    departments::{DepartmentMutation, DepartmentQuery},
    employees::{EmployeeMutation, EmployeeQuery},
    organizations::OrganizationQuery,
    sessions::SessionMutation,
    users::{UserMutation, UserQuery},
};

pub use node::NodeQuery;

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(UserQuery, OrganizationQuery, NodeQuery, DepartmentQuery, EmployeeQuery);

#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct Mutations(SessionMutation, DepartmentMutation, EmployeeMutation, UserMutation);

/// The mutation root: each top-level field in a savepoint.
pub type MutationRoot = savepoints::WithSavepoints<Mutations>;

pub type AppSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Limits applied to every operation.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_depth: usize,
    pub max_complexity: usize,
}

/// The executable schema. Schema data holds only process-wide services;
/// everything about the caller goes on each request.
pub fn build(auth: Arc<AuthService>, limits: Limits) -> AppSchema {
    Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription)
        .data(auth)
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .finish()
}

/// The SDL (`hrms schema`, `schema.graphql`).
pub fn sdl() -> String {
    Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription)
        .finish()
        .sdl()
}
