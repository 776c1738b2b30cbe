//! `attendance_records`: one row per employee and day.

use sea_orm::entity::prelude::*;

use super::enums::AttendanceStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub employee_id: Uuid,
    pub date: Date,
    pub check_in: Option<DateTimeUtc>,
    pub check_out: Option<DateTimeUtc>,
    pub status: AttendanceStatus,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::tenant_entity!();
