//! Prefetching a page's relations in one batch each.
//!
//! async-graphql's dataloaders gather keys for a short delay and then load;
//! on a busy machine a large page can take longer to resolve than that
//! delay and split into several batches. A connection field therefore
//! loads the relations its query selects for all of the page's nodes at
//! once, before returning; the nodes' own resolvers then hit the request's
//! loader cache. The statement count of a page does not depend on its size.

use async_graphql::Lookahead;
use uuid::Uuid;

/// Whether the query selects `field` on the page's nodes (through
/// `edges { node { … } }` or `nodes { … }`).
pub fn selects(look_ahead: &Lookahead<'_>, field: &str) -> bool {
    look_ahead.field("edges").field("node").field(field).exists() || look_ahead.field("nodes").field(field).exists()
}

/// The distinct non-null ids for `field`'s loader when the query selects
/// it; none otherwise.
pub fn ids_for(look_ahead: &Lookahead<'_>, field: &str, values: impl Iterator<Item = Option<Uuid>>) -> Vec<Uuid> {
    if selects(look_ahead, field) {
        ids(values)
    } else {
        Vec::new()
    }
}

/// Distinct non-null ids.
pub fn ids(values: impl Iterator<Item = Option<Uuid>>) -> Vec<Uuid> {
    let mut v: Vec<Uuid> = values.flatten().collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// When the page's nodes select `field`: `Some(value of its integer
/// argument `arg`)`, `Some(None)` when the argument is absent (its default
/// applies); `None` when the field is not selected or selected more than
/// once with different arguments (then the nodes load it themselves).
pub fn argument(look_ahead: &Lookahead<'_>, field: &str, arg: &str) -> Option<Option<i32>> {
    let mut found: Option<Option<i32>> = None;
    for path in [
        look_ahead.field("edges").field("node").field(field),
        look_ahead.field("nodes").field(field),
    ] {
        for selection in path.selection_fields() {
            let args = selection.arguments().ok()?;
            let value = match args.iter().find(|(name, _)| name.as_str() == arg) {
                Some((_, async_graphql::Value::Number(n))) => Some(i32::try_from(n.as_i64()?).ok()?),
                Some(_) => return None,
                None => None,
            };
            match found {
                None => found = Some(value),
                Some(previous) if previous == value => {}
                Some(_) => return None,
            }
        }
    }
    found
}
