//! Demo data for `hrms serve --demo`: three organizations with departments,
//! 50 employees each and a login of every role. Well-known passwords: never
//! in production (the CLI refuses it). Loading twice changes nothing.

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use crate::{
    auth::role_name,
    employees::service::{self as employees, NewEmployee},
    entity::enums::{EmployeeStatus, Role},
    error::AppError,
    organizations::service as orgs,
    tenancy::OrgDb,
    users::service as users,
};

pub struct DemoLogin {
    pub slug: &'static str,
    pub email: String,
    pub password: String,
    pub role: Role,
}

struct DemoOrg {
    slug: &'static str,
    name: &'static str,
    domain: &'static str,
    code: &'static str,
}

const ORGS: [DemoOrg; 3] = [
    DemoOrg {
        slug: "acme-corp",
        name: "ACME Corp",
        domain: "acme.com",
        code: "ACME",
    },
    DemoOrg {
        slug: "globex-inc",
        name: "Globex Inc",
        domain: "globex.com",
        code: "GLBX",
    },
    DemoOrg {
        slug: "initech",
        name: "Initech",
        domain: "initech.com",
        code: "INIT",
    },
];

const DEPARTMENTS: [(&str, Option<usize>); 7] = [
    ("Engineering", None),
    ("Platform", Some(0)),
    ("Product", Some(0)),
    ("Sales", None),
    ("Human Resources", None),
    ("Finance", None),
    ("Operations", None),
];

pub(crate) const FIRST: [&str; 20] = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Margaret",
    "Dennis",
    "Radia",
    "Linus",
    "Katherine",
    "Tim",
    "Hedy",
    "Niklaus",
    "Sophie",
    "John",
    "Mary",
    "Bjarne",
];
pub(crate) const LAST: [&str; 20] = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Thompson",
    "Hamilton",
    "Ritchie",
    "Perlman",
    "Torvalds",
    "Johnson",
    "Berners-Lee",
    "Lamarr",
    "Wirth",
    "Wilson",
    "McCarthy",
    "Kenneth",
    "Stroustrup",
];
const TITLES: [&str; 5] = ["Engineer", "Analyst", "Specialist", "Coordinator", "Associate"];

pub const EMPLOYEES_PER_ORG: usize = 50;

/// The demo password of a role in an organization. The shared email
/// `admin@acme.com` is ADMIN of both acme-corp and globex-inc, each with its
/// own password.
fn password(slug: &str, role: &str) -> String {
    format!("{slug}-{role}-demo")
}

fn err(e: AppError) -> anyhow::Error {
    anyhow::anyhow!("{}: {}", e.code(), e.message())
}

/// Load the demo organizations that do not exist yet; returns every demo
/// login.
pub async fn load(conn: &DatabaseConnection) -> anyhow::Result<Vec<DemoLogin>> {
    let mut logins = Vec::new();
    for org in &ORGS {
        // acme-corp and globex-inc share the admin email on purpose.
        let admin_email = if org.slug == "initech" {
            "admin@initech.com".to_string()
        } else {
            "admin@acme.com".to_string()
        };
        let accounts = [
            (admin_email.clone(), "admin", Role::Admin),
            (format!("hr@{}", org.domain), "hr", Role::Hr),
            (format!("manager@{}", org.domain), "manager", Role::Manager),
            (format!("employee@{}", org.domain), "employee", Role::Employee),
        ];
        for (email, role_name, role) in &accounts {
            logins.push(DemoLogin {
                slug: org.slug,
                email: email.clone(),
                password: password(org.slug, role_name),
                role: *role,
            });
        }
        if orgs::by_slug(conn, org.slug).await.map_err(err)?.is_some() {
            continue;
        }
        let (created, _admin) = orgs::create(conn, org.slug, org.name, &admin_email, &password(org.slug, "admin"))
            .await
            .map_err(err)?;
        let db = OrgDb::open_tx(conn, created.id).await?;
        load_people(&db, org, &accounts).await.map_err(err)?;
        db.finish().await?;
        tracing::info!(org = org.slug, "demo organization loaded");
    }
    Ok(logins)
}

async fn load_people(db: &OrgDb, org: &DemoOrg, accounts: &[(String, &str, Role); 4]) -> Result<(), AppError> {
    let mut departments = Vec::new();
    for (name, parent) in DEPARTMENTS {
        let parent_id = parent.map(|p: usize| departments[p]);
        let d = crate::departments::service::create(db, name, parent_id).await?;
        departments.push(d.id);
    }
    let mut heads = Vec::new();
    let mut people = Vec::new();
    for i in 0..EMPLOYEES_PER_ORG {
        let first = FIRST[(i * 7 + org.code.len()) % FIRST.len()];
        let last = LAST[(i * 3 + org.slug.len()) % LAST.len()];
        let (department, manager, title) = if i == 0 {
            (None, None, "Chief Executive Officer".to_string())
        } else if i <= DEPARTMENTS.len() {
            (
                Some(departments[i - 1]),
                Some(people[0]),
                format!("Head of {}", DEPARTMENTS[i - 1].0),
            )
        } else {
            let d = (i - 1) % DEPARTMENTS.len();
            (
                Some(departments[d]),
                Some(heads[d]),
                TITLES[i % TITLES.len()].to_string(),
            )
        };
        let e = employees::create(
            db,
            NewEmployee {
                employee_code: format!("{}-{:04}", org.code, i + 1),
                first_name: first.to_string(),
                last_name: last.to_string(),
                email: format!(
                    "{}.{}{}@{}",
                    first.to_lowercase(),
                    last.to_lowercase().replace('-', ""),
                    i + 1,
                    org.domain
                ),
                job_title: title,
                department,
                manager,
                hire_date: NaiveDate::from_ymd_opt(2015 + (i % 10) as i32, 1 + (i % 12) as u32, 1 + (i % 28) as u32)
                    .unwrap_or_default(),
                status: Some(if i % 17 == 16 {
                    EmployeeStatus::OnLeave
                } else {
                    EmployeeStatus::Active
                }),
            },
        )
        .await?;
        if (1..=DEPARTMENTS.len()).contains(&i) {
            heads.push(e.id);
        }
        people.push(e.id);
    }
    // Link logins: admin → CEO is left unlinked (the org's admin account
    // already exists); HR → head of Human Resources; manager → head of
    // Engineering; employee → a regular engineer.
    let links = [(1usize, 5usize), (2, 1), (3, 8)];
    for (account, person) in links {
        let (email, role_name, role) = &accounts[account];
        users::create(db, email, password(org.slug, role_name), *role, Some(people[person])).await?;
    }
    Ok(())
}

pub fn print_logins(logins: &[DemoLogin]) {
    println!("\nDEMO DATA (development only; these passwords are public):");
    println!("{:<12} {:<24} {:<28} role", "organization", "email", "password");
    for l in logins {
        println!(
            "{:<12} {:<24} {:<28} {}",
            l.slug,
            l.email,
            l.password,
            role_name(l.role)
        );
    }
    println!();
}
