//! Per-request dataloaders and pagination: a low layer every area uses.
//!
//! Each request gets its own [`Loaders`], built from its own [`OrgDb`]: a
//! batch can only ever contain one organization's keys, runs through that
//! organization's handle, and its cache dies with the request.

mod attendance;
mod departments;
mod employees;
pub mod pagination;
pub mod prefetch;

use async_graphql::dataloader::{DataLoader, HashMapCache};

pub use attendance::LatestAttendance;
pub use departments::DepartmentById;
pub use employees::{EmployeeById, EmployeeByUser, EmployeesByDepartment, EmployeesByManager};

use crate::tenancy::OrgDb;

/// A per-request loader with a cache that lives as long as the request.
pub type RequestLoader<T> = DataLoader<T, HashMapCache>;

pub struct Loaders {
    pub department: RequestLoader<DepartmentById>,
    pub employee: RequestLoader<EmployeeById>,
    pub employee_by_user: RequestLoader<EmployeeByUser>,
    pub reports: RequestLoader<EmployeesByManager>,
    pub department_employees: RequestLoader<EmployeesByDepartment>,
    pub attendance: RequestLoader<LatestAttendance>,
}

fn loader<T>(l: T) -> RequestLoader<T> {
    DataLoader::with_cache(l, tokio::spawn, HashMapCache::default())
}

impl Loaders {
    pub fn new(db: OrgDb) -> Self {
        Loaders {
            department: loader(DepartmentById(db.clone())),
            employee: loader(EmployeeById(db.clone())),
            employee_by_user: loader(EmployeeByUser(db.clone())),
            reports: loader(EmployeesByManager(db.clone())),
            department_employees: loader(EmployeesByDepartment(db.clone())),
            attendance: loader(LatestAttendance(db)),
        }
    }
}
