//! Enumerations stored as text (checked by a CHECK constraint in the
//! migration) and exposed in GraphQL under the same names.

use sea_orm::entity::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, async_graphql::Enum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Role {
    #[sea_orm(string_value = "ADMIN")]
    Admin,
    #[sea_orm(string_value = "HR")]
    Hr,
    #[sea_orm(string_value = "MANAGER")]
    Manager,
    #[sea_orm(string_value = "EMPLOYEE")]
    Employee,
}

impl Role {
    /// Roles allowed to write departments and employees.
    pub fn can_write_people(self) -> bool {
        matches!(self, Role::Admin | Role::Hr)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, async_graphql::Enum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum SubscriptionStatus {
    #[sea_orm(string_value = "TRIAL")]
    Trial,
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "PAST_DUE")]
    PastDue,
    #[sea_orm(string_value = "SUSPENDED")]
    Suspended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, async_graphql::Enum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum EmployeeStatus {
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "ON_LEAVE")]
    OnLeave,
    #[sea_orm(string_value = "TERMINATED")]
    Terminated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, async_graphql::Enum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum AttendanceStatus {
    #[sea_orm(string_value = "PRESENT")]
    Present,
    #[sea_orm(string_value = "REMOTE")]
    Remote,
    #[sea_orm(string_value = "ABSENT")]
    Absent,
    #[sea_orm(string_value = "LEAVE")]
    Leave,
}
