//! Relay cursor connections over org-scoped selects.
//!
//! Cursors are opaque offsets into the ordered result. `first`/`last` above
//! [`MAX_PAGE`] or below zero are refused with `BAD_USER_INPUT`; without
//! either, a page holds [`DEFAULT_PAGE`] items. `totalCount` is counted only
//! when the query asks for it (or when `last` needs the end of the list).

use async_graphql::{
    OutputType, SimpleObject,
    connection::{Connection, CursorType, Edge},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{
    error::{AppError, AppResult},
    tenancy::OrgSelect,
};

pub const MAX_PAGE: i32 = 100;
pub const DEFAULT_PAGE: u64 = 20;

/// An opaque cursor: the item's position in the ordered list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OffsetCursor(pub u64);

impl CursorType for OffsetCursor {
    type Error = String;

    fn decode_cursor(s: &str) -> Result<Self, String> {
        URL_SAFE_NO_PAD
            .decode(s)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("offset:").and_then(|n| n.parse().ok()))
            .map(OffsetCursor)
            .ok_or_else(|| "invalid cursor".to_string())
    }

    fn encode_cursor(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("offset:{}", self.0))
    }
}

/// The arguments every connection field takes.
#[derive(Clone, Debug, Default)]
pub struct PageArgs {
    pub after: Option<String>,
    pub before: Option<String>,
    pub first: Option<i32>,
    pub last: Option<i32>,
}

#[derive(SimpleObject, Clone, Copy, Debug, Default)]
pub struct ConnectionTotal {
    /// Number of items in the whole (filtered) list, not just this page.
    pub total_count: i64,
}

pub type Page<N> = Connection<OffsetCursor, N, ConnectionTotal>;

fn size(name: &str, v: Option<i32>) -> AppResult<Option<u64>> {
    match v {
        None => Ok(None),
        Some(n) if (0..=MAX_PAGE).contains(&n) => Ok(Some(n as u64)),
        Some(_) => Err(AppError::bad_input(format!("{name} must be between 0 and {MAX_PAGE}"))),
    }
}

fn cursor(name: &str, v: &Option<String>) -> AppResult<Option<u64>> {
    v.as_deref()
        .map(|s| {
            OffsetCursor::decode_cursor(s)
                .map(|c| c.0)
                .map_err(|_| AppError::bad_input(format!("{name} is not a valid cursor")))
        })
        .transpose()
}

/// Build one page of a connection. `select` makes a fresh org-scoped,
/// filtered and fully ordered select each time it is called.
pub async fn page<'a, E, C, N>(
    args: &PageArgs,
    want_total: bool,
    select: impl Fn() -> OrgSelect<'a, E, C>,
    node: impl Fn(E::Model) -> N,
) -> AppResult<Page<N>>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait + 'a,
    N: OutputType,
{
    let first = size("first", args.first)?;
    let last = size("last", args.last)?;
    let after = cursor("after", &args.after)?;
    let before = cursor("before", &args.before)?;

    let mut start = after.map_or(0, |a| a.saturating_add(1));
    let mut end = before;
    if let Some(f) = first {
        end = Some(end.map_or(start + f, |e| e.min(start + f)));
    }
    let mut total = None;
    if let Some(l) = last {
        let e = match end {
            Some(e) => e,
            None => {
                let t = select().count().await?;
                total = Some(t);
                t
            }
        };
        start = start.max(e.saturating_sub(l));
        end = Some(e);
    }
    let end = end.unwrap_or(start + DEFAULT_PAGE);
    let limit = end.saturating_sub(start);

    let mut rows = if limit == 0 && !want_total {
        Vec::new()
    } else {
        select().offset(start).limit(limit + 1).all().await?
    };
    let has_next = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let total = match (want_total, total) {
        (true, Some(t)) => t,
        (true, None) => select().count().await?,
        (false, _) => 0,
    };

    let mut conn = Connection::with_additional_fields(
        start > 0,
        has_next,
        ConnectionTotal {
            total_count: total as i64,
        },
    );
    conn.edges.extend(
        rows.into_iter()
            .enumerate()
            .map(|(i, row)| Edge::new(OffsetCursor(start + i as u64), node(row))),
    );
    Ok(conn)
}
