//! Departments: a tree per organization.

mod resolvers;
pub mod service;
mod types;

pub use resolvers::{DepartmentMutation, DepartmentQuery};
pub use types::Department;
