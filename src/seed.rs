//! `hrms seed`: bulk generation of realistic organizations for load tests
//! and benchmarks — departments, a manager tree, employees and D days of
//! attendance each — through the same org-scoped handle (and RLS) as the
//! server. New organizations are numbered after the existing
//! `seed-org-K`, so running it again adds more. Every seeded organization
//! has an ADMIN `admin@seed-org-K.example` with password [`SEED_PASSWORD`].

use std::{
    io::Write,
    time::{Duration, Instant},
};

use chrono::{Days, NaiveTime, TimeZone, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::{
    auth::hash_password,
    demo::{FIRST, LAST},
    entity::{
        attendance_record, department, employee,
        enums::{AttendanceStatus, EmployeeStatus, Role, SubscriptionStatus},
        organization, user,
    },
    error::{AppError, AppResult},
    tenancy::OrgDb,
};

/// The password of every seeded admin (development and benchmarks only).
pub const SEED_PASSWORD: &str = "seed-password";
const DEPARTMENTS: [&str; 10] = [
    "Engineering",
    "Product",
    "Design",
    "Sales",
    "Marketing",
    "Support",
    "Finance",
    "Human Resources",
    "Legal",
    "Operations",
];
/// Rows per INSERT: under both databases' bind-parameter limits.
const CHUNK: usize = 2_000;

pub struct SeedPlan {
    pub orgs: usize,
    pub employees_per_org: usize,
    pub days: u64,
}

pub struct SeedReport {
    pub organizations: usize,
    pub rows: u64,
    pub elapsed: Duration,
}

/// A cheap deterministic mix, so data differs between rows but every run
/// makes the same shapes.
fn mix(a: usize, b: u64) -> u64 {
    let mut x = (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    x ^= x >> 31;
    x.wrapping_mul(0x94D0_49BB_1331_11EB) >> 29
}

async fn next_index(conn: &DatabaseConnection) -> AppResult<usize> {
    let slugs = organization::Entity::find()
        .filter(organization::Column::Slug.starts_with("seed-org-"))
        .all(conn)
        .await?;
    Ok(slugs
        .iter()
        .filter_map(|o| o.slug.strip_prefix("seed-org-")?.parse::<usize>().ok())
        .max()
        .unwrap_or(0)
        + 1)
}

fn progress(done: usize, total: usize, rows: u64, started: Instant) {
    let width = 30;
    let filled = (done * width).checked_div(total).unwrap_or(width);
    let secs = started.elapsed().as_secs_f64().max(0.001);
    eprint!(
        "\r[{}{}] {done}/{total} organizations, {rows} rows, {:.0} rows/s ",
        "#".repeat(filled),
        "-".repeat(width - filled),
        rows as f64 / secs
    );
    let _ = std::io::stderr().flush();
}

pub async fn run(conn: &DatabaseConnection, plan: &SeedPlan) -> AppResult<SeedReport> {
    if plan.employees_per_org == 0 {
        return Err(AppError::bad_input("--employees-per-org must be at least 1"));
    }
    let started = Instant::now();
    let first = next_index(conn).await?;
    let password_hash = hash_password(SEED_PASSWORD.to_string()).await?;
    let today = Utc::now().date_naive();
    let mut rows = 0;
    progress(0, plan.orgs, 0, started);
    for k in first..first + plan.orgs {
        rows += seed_org(conn, k, plan, &password_hash, today).await?;
        progress(k - first + 1, plan.orgs, rows, started);
    }
    eprintln!();
    Ok(SeedReport {
        organizations: plan.orgs,
        rows,
        elapsed: started.elapsed(),
    })
}

async fn seed_org(
    conn: &DatabaseConnection,
    k: usize,
    plan: &SeedPlan,
    password_hash: &str,
    today: chrono::NaiveDate,
) -> AppResult<u64> {
    let now = Utc::now();
    let db = OrgDb::open_tx(conn, Uuid::now_v7()).await?;
    db.create_own_organization(organization::ActiveModel {
        name: Set(format!("Seed Org {k}")),
        slug: Set(format!("seed-org-{k}")),
        is_active: Set(true),
        subscription_status: Set(SubscriptionStatus::Active),
        created_at: Set(now),
        ..Default::default()
    })
    .await?;
    let admin = Uuid::now_v7();
    db.insert(user::ActiveModel {
        id: Set(admin),
        email: Set(format!("admin@seed-org-{k}.example")),
        password_hash: Set(password_hash.to_string()),
        role: Set(Role::Admin),
        is_active: Set(true),
        created_at: Set(now),
        ..Default::default()
    })
    .await?;
    let departments: Vec<Uuid> = DEPARTMENTS.iter().map(|_| Uuid::now_v7()).collect();
    let mut rows = 2 + db
        .insert_many(
            DEPARTMENTS
                .iter()
                .zip(&departments)
                .map(|(name, id)| department::ActiveModel {
                    id: Set(*id),
                    name: Set(name.to_string()),
                    parent_id: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }),
        )
        .await?;

    // A 10-ary manager tree: employee i reports to (i - 1) / 10. Chunks go
    // in order, so a manager is always written before their reports.
    let ids: Vec<Uuid> = (0..plan.employees_per_org).map(|_| Uuid::now_v7()).collect();
    for chunk in (0..plan.employees_per_org).collect::<Vec<_>>().chunks(CHUNK) {
        rows += db
            .insert_many(chunk.iter().map(|&i| {
                let first = FIRST[mix(i, 1) as usize % FIRST.len()];
                let last = LAST[mix(i, 2) as usize % LAST.len()];
                employee::ActiveModel {
                    id: Set(ids[i]),
                    user_id: Set(None),
                    employee_code: Set(format!("E{i:06}")),
                    first_name: Set(first.to_string()),
                    last_name: Set(last.to_string()),
                    email: Set(format!(
                        "{}.{}{i}@seed-org-{k}.example",
                        first.to_lowercase(),
                        last.to_lowercase()
                    )),
                    job_title: Set(if i == 0 {
                        "Chief Executive Officer".into()
                    } else {
                        "Specialist".into()
                    }),
                    department_id: Set(Some(departments[i % departments.len()])),
                    manager_id: Set(if i == 0 { None } else { Some(ids[(i - 1) / 10]) }),
                    hire_date: Set(today - Days::new(30 + mix(i, 3) % 3000)),
                    status: Set(if mix(i, 4).is_multiple_of(40) {
                        EmployeeStatus::OnLeave
                    } else {
                        EmployeeStatus::Active
                    }),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
            }))
            .await?;
    }

    let per_employee = plan.days as usize;
    let total = plan.employees_per_org * per_employee;
    let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
    let mut batch = Vec::with_capacity(CHUNK);
    for n in 0..total {
        let (i, d) = (n / per_employee, (n % per_employee) as u64);
        let date = today - Days::new(d + 1);
        let status = match mix(i, d + 10) % 20 {
            0 => AttendanceStatus::Absent,
            1 => AttendanceStatus::Leave,
            2..=5 => AttendanceStatus::Remote,
            _ => AttendanceStatus::Present,
        };
        let worked = matches!(status, AttendanceStatus::Present | AttendanceStatus::Remote);
        let check_in = Utc.from_utc_datetime(&date.and_time(nine)) + chrono::Duration::minutes((mix(i, d) % 60) as i64);
        batch.push(attendance_record::ActiveModel {
            id: Set(Uuid::now_v7()),
            employee_id: Set(ids[i]),
            date: Set(date),
            check_in: Set(worked.then_some(check_in)),
            check_out: Set(worked.then_some(check_in + chrono::Duration::hours(8))),
            status: Set(status),
            ..Default::default()
        });
        if batch.len() == CHUNK {
            rows += db.insert_many(std::mem::take(&mut batch)).await?;
        }
    }
    rows += db.insert_many(batch).await?;
    db.finish().await?;
    Ok(rows)
}
