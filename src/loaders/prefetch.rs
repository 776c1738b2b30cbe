//! Prefetching a page's relations in one batch each.
//!
//! async-graphql's dataloaders gather keys for a short delay (1 ms) and then
//! load: every hop through a loader waits that long, and on a busy machine
//! a large page can take longer to resolve than the delay and split into
//! several batches. A field that returns objects therefore loads the
//! relations its query selects for all of its objects at once, through the
//! loaders' batch functions directly (no delay), and feeds the results into
//! the request's loader caches; the objects' own resolvers then hit the
//! cache. The statement count of a page does not depend on its size.

use std::hash::Hash;

use async_graphql::{Lookahead, dataloader::Loader};
use uuid::Uuid;

use super::RequestLoader;
use crate::error::AppError;

/// The places a field of the returned objects can be selected: on a
/// connection's `edges { node }` or `nodes`, or on the object itself.
fn paths<'a>(look_ahead: &Lookahead<'a>, field: &str) -> [Lookahead<'a>; 3] {
    [
        look_ahead.field("edges").field("node").field(field),
        look_ahead.field("nodes").field(field),
        look_ahead.field(field),
    ]
}

/// Whether the query selects `field` on the returned objects.
pub fn selects(look_ahead: &Lookahead<'_>, field: &str) -> bool {
    paths(look_ahead, field).iter().any(Lookahead::exists)
}

/// Load `keys` with `loader`'s batch function now and put the results in
/// its cache.
pub async fn warm<K, T>(loader: &RequestLoader<T>, keys: Vec<K>) -> Result<(), AppError>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    T: Loader<K, Error = AppError>,
{
    if keys.is_empty() {
        return Ok(());
    }
    let values = loader.loader().load(&keys).await?;
    loader.feed_many(values).await;
    Ok(())
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
