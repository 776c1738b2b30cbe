//! Employees: the people of an organization.

mod resolvers;
pub mod service;
mod types;

pub use resolvers::{EmployeeMutation, EmployeeQuery};
pub use types::Employee;
