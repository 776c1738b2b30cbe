//! The start-up audit of PostgreSQL's tenancy guarantees (layer 5), run as
//! the runtime role: every table with an `organization_id` column has row
//! level security enabled and forced, and only policies that compare
//! `organization_id` with the request's setting in both `USING` and
//! `WITH CHECK`; its primary key and its foreign keys to other tenant tables
//! include `organization_id`; the runtime role is not a superuser, cannot
//! bypass RLS, owns no tenant table, cannot become its owner and cannot
//! TRUNCATE it. The server refuses to start on any failure; `hrms doctor`
//! prints the same report.

use std::fmt::Write as _;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

/// One line of the report.
#[derive(Debug, Clone)]
pub struct Finding {
    /// A table name, or `role <name>`.
    pub subject: String,
    /// What was checked.
    pub check: &'static str,
    pub ok: bool,
    /// What was found (the policy text, the attribute …).
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn passed(&self) -> bool {
        !self.findings.is_empty() && self.findings.iter().all(|f| f.ok)
    }

    pub fn failures(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.ok)
    }

    fn push(&mut self, subject: &str, check: &'static str, ok: bool, detail: impl Into<String>) {
        self.findings.push(Finding {
            subject: subject.to_string(),
            check,
            ok,
            detail: detail.into(),
        });
    }

    /// The report as an aligned text table.
    pub fn table(&self) -> String {
        let w_subject = self.findings.iter().map(|f| f.subject.len()).max().unwrap_or(7).max(7);
        let w_check = self.findings.iter().map(|f| f.check.len()).max().unwrap_or(5).max(5);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<4}  {:<w_subject$}  {:<w_check$}  detail",
            "", "subject", "check"
        );
        for f in &self.findings {
            let mark = if f.ok { "ok" } else { "FAIL" };
            let _ = writeln!(
                out,
                "{mark:<4}  {:<w_subject$}  {:<w_check$}  {}",
                f.subject, f.check, f.detail
            );
        }
        out
    }
}

/// What a tenant table is, for the audit and for the runtime role's grants:
/// an ordinary or partitioned table of the current schema with an
/// `organization_id` column (`c` is its `pg_class` row, `a` that column).
pub(crate) const TENANT_TABLES_FROM: &str = "FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped
          WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()";

fn stmt(sql: &str) -> Statement {
    Statement::from_string(DbBackend::Postgres, sql.to_string())
}

async fn rows(db: &DatabaseConnection, sql: &str) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
    db.query_all_raw(stmt(sql)).await
}

/// A policy clause must be exactly the tenant condition (as PostgreSQL
/// prints it back, compared without parentheses, spaces and case): anything
/// more, such as `OR true`, is drift.
fn policy_clause_ok(clause: Option<&str>) -> bool {
    const EXPECTED: &str =
        "organization_id=selectnullifcurrent_setting'app.current_organization_id'::text,true,''::text::uuid";
    clause.is_some_and(|c| {
        let c: String = c
            .chars()
            .filter(|ch| !matches!(ch, '(' | ')' | ' ' | '\n' | '\t'))
            .collect::<String>()
            .to_lowercase();
        let c = c.strip_suffix("as\"nullif\"").unwrap_or(&c);
        c == EXPECTED
    })
}

/// Run the audit on a PostgreSQL connection (as the runtime role).
pub async fn audit(db: &DatabaseConnection) -> Result<Report, DbErr> {
    let mut report = Report::default();

    // The runtime role.
    let role = db
        .query_one_raw(stmt(
            "SELECT current_user::text AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypass
               FROM pg_roles r WHERE r.rolname = current_user",
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("current role not found in pg_roles".into()))?;
    let name: String = role.try_get("", "name")?;
    let superuser: bool = role.try_get("", "superuser")?;
    let bypass: bool = role.try_get("", "bypass")?;
    let subject = format!("role {name}");
    report.push(
        &subject,
        "not superuser",
        !superuser,
        if superuser { "SUPERUSER" } else { "NOSUPERUSER" },
    );
    report.push(
        &subject,
        "cannot bypass RLS",
        !bypass,
        if bypass { "BYPASSRLS" } else { "NOBYPASSRLS" },
    );

    // Tenant tables: every ordinary table of the schema with organization_id.
    let tables = rows(
        db,
        &format!(
            "SELECT c.oid::bigint AS oid, c.relname::text AS name, c.relrowsecurity AS rls,
                c.relforcerowsecurity AS force, pg_get_userbyid(c.relowner)::text AS owner,
                c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) AS owned,
                pg_has_role(current_user, c.relowner, 'MEMBER') AS member_of_owner,
                has_table_privilege(current_user, c.oid, 'TRUNCATE') AS can_truncate,
                a.attnum::int AS org_attnum
           {TENANT_TABLES_FROM}
          ORDER BY c.relname"
        ),
    )
    .await?;
    if tables.is_empty() {
        report.push(
            "(schema)",
            "tenant tables exist",
            false,
            "no table with organization_id: not migrated?",
        );
    }
    let mut tenant_oids = Vec::new();
    for t in &tables {
        let oid: i64 = t.try_get("", "oid")?;
        let table: String = t.try_get("", "name")?;
        let rls: bool = t.try_get("", "rls")?;
        let force: bool = t.try_get("", "force")?;
        let owner: String = t.try_get("", "owner")?;
        let owned: bool = t.try_get("", "owned")?;
        let member: bool = t.try_get("", "member_of_owner")?;
        let truncate: bool = t.try_get("", "can_truncate")?;
        let org_attnum: i32 = t.try_get("", "org_attnum")?;
        tenant_oids.push((oid, table.clone(), org_attnum));
        report.push(&table, "RLS enabled", rls, if rls { "ENABLE" } else { "disabled" });
        report.push(&table, "RLS forced", force, if force { "FORCE" } else { "not forced" });
        report.push(
            &table,
            "runtime role not owner",
            !owned && !member,
            if owned {
                format!("owned by {owner} (the runtime role)")
            } else if member {
                format!("runtime role is a member of owner {owner}")
            } else {
                format!("owner {owner}")
            },
        );
        report.push(
            &table,
            "runtime role cannot TRUNCATE",
            !truncate,
            if truncate { "TRUNCATE granted" } else { "no TRUNCATE" },
        );

        let policies = db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT polname::text AS name, polpermissive AS permissive, polcmd::text AS cmd,
                        pg_get_expr(polqual, polrelid) AS using_clause,
                        pg_get_expr(polwithcheck, polrelid) AS check_clause
                   FROM pg_policy WHERE polrelid = $1::bigint::oid ORDER BY polname",
                [oid.into()],
            ))
            .await?;
        let mut good = 0;
        for p in &policies {
            let pname: String = p.try_get("", "name")?;
            let permissive: bool = p.try_get("", "permissive")?;
            let cmd: String = p.try_get("", "cmd")?;
            let using: Option<String> = p.try_get("", "using_clause")?;
            let check: Option<String> = p.try_get("", "check_clause")?;
            let ok = cmd == "*" && policy_clause_ok(using.as_deref()) && policy_clause_ok(check.as_deref());
            if ok {
                good += 1;
            }
            // A permissive policy that is not the tenant condition widens
            // access (permissive policies are OR-ed): that is drift too.
            let harmless = ok || !permissive;
            report.push(
                &table,
                if ok {
                    "policy USING + WITH CHECK"
                } else {
                    "no extra permissive policy"
                },
                harmless,
                format!(
                    "{pname}: USING {} WITH CHECK {}",
                    using.as_deref().unwrap_or("-"),
                    check.as_deref().unwrap_or("-")
                ),
            );
        }
        if good == 0 {
            report.push(
                &table,
                "policy USING + WITH CHECK",
                false,
                "no policy on organization_id with both clauses",
            );
        }
    }

    // Keys: primary key and references between tenant tables include organization_id.
    for (oid, table, org_attnum) in &tenant_oids {
        let cons = db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT conname::text AS name, contype::text AS kind, conkey::int[] AS cols,
                        confrelid::bigint AS target, confkey::int[] AS target_cols
                   FROM pg_constraint WHERE conrelid = $1::bigint::oid AND contype IN ('p', 'f')
                  ORDER BY conname",
                [(*oid).into()],
            ))
            .await?;
        let mut has_pk = false;
        for c in &cons {
            let cname: String = c.try_get("", "name")?;
            let kind: String = c.try_get("", "kind")?;
            let cols: Vec<i32> = c.try_get("", "cols")?;
            if kind == "p" {
                has_pk = true;
                report.push(
                    table,
                    "primary key has organization_id",
                    cols.contains(org_attnum),
                    cname,
                );
            } else {
                let target: i64 = c.try_get("", "target")?;
                let Some((_, target_name, target_org)) = tenant_oids.iter().find(|(o, _, _)| *o == target) else {
                    continue; // references a non-tenant table (organizations)
                };
                let target_cols: Vec<i32> = c.try_get("", "target_cols")?;
                let ok = cols.first() == Some(org_attnum)
                    && target_cols.first() == Some(target_org)
                    && cols.len() == target_cols.len();
                report.push(
                    table,
                    "foreign key has organization_id",
                    ok,
                    format!("{cname} -> {target_name}"),
                );
            }
        }
        if !has_pk {
            report.push(table, "primary key has organization_id", false, "no primary key");
        }
    }
    Ok(report)
}
