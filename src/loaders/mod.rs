//! Per-request dataloaders and pagination: a low layer every area uses.
//!
//! Each request gets its own [`Loaders`], built from its own [`OrgDb`]: a
//! batch can only ever contain one organization's keys, runs through that
//! organization's handle, and its cache dies with the request.

mod departments;
mod employees;
pub mod pagination;

use async_graphql::dataloader::DataLoader;

pub use departments::DepartmentById;
pub use employees::{EmployeeById, EmployeeByUser, EmployeesByDepartment, EmployeesByManager};

use crate::tenancy::OrgDb;

pub struct Loaders {
    pub department: DataLoader<DepartmentById>,
    pub employee: DataLoader<EmployeeById>,
    pub employee_by_user: DataLoader<EmployeeByUser>,
    pub reports: DataLoader<EmployeesByManager>,
    pub department_employees: DataLoader<EmployeesByDepartment>,
}

impl Loaders {
    pub fn new(db: OrgDb) -> Self {
        Loaders {
            department: DataLoader::new(DepartmentById(db.clone()), tokio::spawn),
            employee: DataLoader::new(EmployeeById(db.clone()), tokio::spawn),
            employee_by_user: DataLoader::new(EmployeeByUser(db.clone()), tokio::spawn),
            reports: DataLoader::new(EmployeesByManager(db.clone()), tokio::spawn),
            department_employees: DataLoader::new(EmployeesByDepartment(db), tokio::spawn),
        }
    }
}
