//! `employees`: people of an organization; optional login (`user_id`),
//! department and manager (another employee).

use sea_orm::entity::prelude::*;

use super::enums::EmployeeStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "employees")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub employee_code: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub job_title: String,
    pub department_id: Option<Uuid>,
    pub manager_id: Option<Uuid>,
    pub hire_date: Date,
    pub status: EmployeeStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::tenant_entity!();
