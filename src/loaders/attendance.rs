//! Attendance loader: the last N records of many employees in one
//! statement (a window per employee), never one statement per employee.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::Order;
use uuid::Uuid;

use crate::{
    entity::attendance_record::{Column, Entity, Model},
    error::AppError,
    tenancy::OrgDb,
};

/// Key: (employee id, how many of the most recent records).
pub struct LatestAttendance(pub OrgDb);

impl Loader<(Uuid, u64)> for LatestAttendance {
    type Value = Vec<Model>;
    type Error = AppError;

    async fn load(&self, keys: &[(Uuid, u64)]) -> Result<HashMap<(Uuid, u64), Vec<Model>>, AppError> {
        let mut by_limit: HashMap<u64, Vec<Uuid>> = HashMap::new();
        for (employee, n) in keys {
            by_limit.entry(*n).or_default().push(*employee);
        }
        let mut out: HashMap<(Uuid, u64), Vec<Model>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        // One statement per distinct limit (a query normally asks for one).
        for (n, employees) in by_limit {
            let rows = self
                .0
                .top_per_key::<Entity>(Column::EmployeeId, &employees, Column::Date, Order::Desc, n)
                .await?;
            for row in rows {
                if let Some(list) = out.get_mut(&(row.employee_id, n)) {
                    list.push(row);
                }
            }
        }
        Ok(out)
    }
}
