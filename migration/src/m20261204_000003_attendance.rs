//! Attendance records: one row per employee and day.

use sea_orm_migration::prelude::*;

use crate::{
    m20261204_000001_core::Employees,
    tenant::{enable_rls, one_of, org_col, tenant_fk, ts_opt},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
pub enum AttendanceRecords {
    Table,
    OrganizationId,
    Id,
    EmployeeId,
    Date,
    CheckIn,
    CheckOut,
    Status,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AttendanceRecords::Table)
                    .col(org_col(AttendanceRecords::OrganizationId))
                    .col(ColumnDef::new(AttendanceRecords::Id).uuid().not_null())
                    .col(ColumnDef::new(AttendanceRecords::EmployeeId).uuid().not_null())
                    .col(ColumnDef::new(AttendanceRecords::Date).date().not_null())
                    .col(ts_opt(AttendanceRecords::CheckIn))
                    .col(ts_opt(AttendanceRecords::CheckOut))
                    .col(one_of(
                        AttendanceRecords::Status,
                        &["PRESENT", "REMOTE", "ABSENT", "LEAVE"],
                    ))
                    .primary_key(
                        Index::create()
                            .col(AttendanceRecords::OrganizationId)
                            .col(AttendanceRecords::Id),
                    )
                    .foreign_key(&mut tenant_fk(
                        AttendanceRecords::Table,
                        AttendanceRecords::OrganizationId,
                        AttendanceRecords::EmployeeId,
                        Employees::Table,
                        Employees::OrganizationId,
                        Employees::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        // Serves both the uniqueness rule and "the last N days of an
        // employee" (a backward scan per employee).
        manager
            .create_index(
                Index::create()
                    .name("attendance_org_employee_date_key")
                    .table(AttendanceRecords::Table)
                    .col(AttendanceRecords::OrganizationId)
                    .col(AttendanceRecords::EmployeeId)
                    .col(AttendanceRecords::Date)
                    .unique()
                    .take(),
            )
            .await?;
        enable_rls(manager, "attendance_records").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AttendanceRecords::Table).take())
            .await
    }
}
