//! Organizations: the `Organization` type, the `organization` query, and
//! the operator service behind `hrms org create|update` (CLI only).

mod resolvers;
pub mod service;
mod types;

pub use resolvers::OrganizationQuery;
pub use types::Organization;
