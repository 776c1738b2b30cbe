//! Attendance: the `AttendanceRecord` type, reached through
//! `Employee.attendance(last:)`.

use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};

use crate::{
    entity::{attendance_record, enums::AttendanceStatus},
    error::{AppError, AppResult},
    ids::{self, Kind},
    scalars::Date,
};

/// Most recent records an `attendance(last:)` may ask for.
pub const MAX_LAST: i32 = 100;
pub const DEFAULT_LAST: i32 = 7;

pub fn check_last(last: i32) -> AppResult<u64> {
    if (0..=MAX_LAST).contains(&last) {
        Ok(last as u64)
    } else {
        Err(AppError::bad_input(format!("last must be between 0 and {MAX_LAST}")))
    }
}

/// One employee's attendance on one day.
pub struct AttendanceRecord(pub attendance_record::Model);

#[Object]
impl AttendanceRecord {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::AttendanceRecord, self.0.id)
    }
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    async fn check_in(&self) -> Option<DateTime<Utc>> {
        self.0.check_in
    }
    async fn check_out(&self) -> Option<DateTime<Utc>> {
        self.0.check_out
    }
    async fn status(&self) -> AttendanceStatus {
        self.0.status
    }
}
