//! Core tables: organizations, users, departments, employees, refresh tokens.

use sea_orm_migration::prelude::*;

use crate::tenant::{one_of, org_col, tenant_fk, text, ts, ts_opt};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
pub enum Organizations {
    Table,
    Id,
    Name,
    Slug,
    IsActive,
    SubscriptionStatus,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Users {
    Table,
    OrganizationId,
    Id,
    Email,
    PasswordHash,
    Role,
    IsActive,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Departments {
    Table,
    OrganizationId,
    Id,
    Name,
    ParentId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Employees {
    Table,
    OrganizationId,
    Id,
    UserId,
    EmployeeCode,
    FirstName,
    LastName,
    Email,
    JobTitle,
    DepartmentId,
    ManagerId,
    HireDate,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum RefreshTokens {
    Table,
    OrganizationId,
    Id,
    UserId,
    TokenHash,
    ExpiresAt,
    CreatedAt,
    RevokedAt,
    ReplacedBy,
}

/// The foreign key from a tenant table to its organization.
fn org_fk<T: IntoIden + 'static, C: IntoIden + 'static>(table: T, col: C) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Organizations::Table, Organizations::Id)
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(ColumnDef::new(Organizations::Id).uuid().not_null().primary_key())
                    .col(text(Organizations::Name))
                    .col(text(Organizations::Slug).unique_key())
                    .col(
                        ColumnDef::new(Organizations::IsActive)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(one_of(
                        Organizations::SubscriptionStatus,
                        &["TRIAL", "ACTIVE", "PAST_DUE", "SUSPENDED"],
                    ))
                    .col(ts(Organizations::CreatedAt))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(org_col(Users::OrganizationId))
                    .col(ColumnDef::new(Users::Id).uuid().not_null())
                    .col(text(Users::Email))
                    .col(text(Users::PasswordHash))
                    .col(one_of(Users::Role, &["ADMIN", "HR", "MANAGER", "EMPLOYEE"]))
                    .col(ColumnDef::new(Users::IsActive).boolean().not_null().default(true))
                    .col(ts(Users::CreatedAt))
                    .primary_key(Index::create().col(Users::OrganizationId).col(Users::Id))
                    .foreign_key(&mut org_fk(Users::Table, Users::OrganizationId))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("users_org_email_key")
                    .table(Users::Table)
                    .col(Users::OrganizationId)
                    .col(Users::Email)
                    .unique()
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Departments::Table)
                    .col(org_col(Departments::OrganizationId))
                    .col(ColumnDef::new(Departments::Id).uuid().not_null())
                    .col(text(Departments::Name))
                    .col(ColumnDef::new(Departments::ParentId).uuid().null())
                    .col(ts(Departments::CreatedAt))
                    .primary_key(Index::create().col(Departments::OrganizationId).col(Departments::Id))
                    .foreign_key(&mut org_fk(Departments::Table, Departments::OrganizationId))
                    .foreign_key(&mut tenant_fk(
                        Departments::Table,
                        Departments::OrganizationId,
                        Departments::ParentId,
                        Departments::Table,
                        Departments::OrganizationId,
                        Departments::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("departments_org_parent_idx")
                    .table(Departments::Table)
                    .col(Departments::OrganizationId)
                    .col(Departments::ParentId)
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("departments_org_name_idx")
                    .table(Departments::Table)
                    .col(Departments::OrganizationId)
                    .col(Departments::Name)
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Employees::Table)
                    .col(org_col(Employees::OrganizationId))
                    .col(ColumnDef::new(Employees::Id).uuid().not_null())
                    .col(ColumnDef::new(Employees::UserId).uuid().null())
                    .col(text(Employees::EmployeeCode))
                    .col(text(Employees::FirstName))
                    .col(text(Employees::LastName))
                    .col(text(Employees::Email))
                    .col(text(Employees::JobTitle))
                    .col(ColumnDef::new(Employees::DepartmentId).uuid().null())
                    .col(ColumnDef::new(Employees::ManagerId).uuid().null())
                    .col(ColumnDef::new(Employees::HireDate).date().not_null())
                    .col(one_of(Employees::Status, &["ACTIVE", "ON_LEAVE", "TERMINATED"]))
                    .col(ts(Employees::CreatedAt))
                    .col(ts(Employees::UpdatedAt))
                    .primary_key(Index::create().col(Employees::OrganizationId).col(Employees::Id))
                    .foreign_key(&mut org_fk(Employees::Table, Employees::OrganizationId))
                    .foreign_key(&mut tenant_fk(
                        Employees::Table,
                        Employees::OrganizationId,
                        Employees::UserId,
                        Users::Table,
                        Users::OrganizationId,
                        Users::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut tenant_fk(
                        Employees::Table,
                        Employees::OrganizationId,
                        Employees::DepartmentId,
                        Departments::Table,
                        Departments::OrganizationId,
                        Departments::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut tenant_fk(
                        Employees::Table,
                        Employees::OrganizationId,
                        Employees::ManagerId,
                        Employees::Table,
                        Employees::OrganizationId,
                        Employees::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .take(),
            )
            .await?;
        for (name, cols, unique) in [
            ("employees_org_code_key", vec![Employees::EmployeeCode], true),
            ("employees_org_user_key", vec![Employees::UserId], true),
            ("employees_org_department_idx", vec![Employees::DepartmentId], false),
            ("employees_org_manager_idx", vec![Employees::ManagerId], false),
            ("employees_org_last_name_idx", vec![Employees::LastName], false),
        ] {
            let mut index = Index::create();
            index.name(name).table(Employees::Table).col(Employees::OrganizationId);
            for col in cols {
                index.col(col);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.take()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(org_col(RefreshTokens::OrganizationId))
                    .col(ColumnDef::new(RefreshTokens::Id).uuid().not_null())
                    .col(ColumnDef::new(RefreshTokens::UserId).uuid().not_null())
                    .col(text(RefreshTokens::TokenHash))
                    .col(ts(RefreshTokens::ExpiresAt))
                    .col(ts(RefreshTokens::CreatedAt))
                    .col(ts_opt(RefreshTokens::RevokedAt))
                    .col(ColumnDef::new(RefreshTokens::ReplacedBy).uuid().null())
                    .primary_key(
                        Index::create()
                            .col(RefreshTokens::OrganizationId)
                            .col(RefreshTokens::Id),
                    )
                    .foreign_key(&mut org_fk(RefreshTokens::Table, RefreshTokens::OrganizationId))
                    .foreign_key(&mut tenant_fk(
                        RefreshTokens::Table,
                        RefreshTokens::OrganizationId,
                        RefreshTokens::UserId,
                        Users::Table,
                        Users::OrganizationId,
                        Users::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("refresh_tokens_org_user_idx")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::OrganizationId)
                    .col(RefreshTokens::UserId)
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RefreshTokens::Table.into_iden(),
            Employees::Table.into_iden(),
            Departments::Table.into_iden(),
            Users::Table.into_iden(),
            Organizations::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
