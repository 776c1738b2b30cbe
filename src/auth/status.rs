//! A short-lived cache of user and organization status, so the middleware
//! does not read two rows on every request. Entries live at most `ttl`
//! (5 s by default); changes made through this server invalidate them at
//! once, changes made elsewhere (CLI, another instance) show within `ttl`.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use uuid::Uuid;

use crate::entity::enums::{Role, SubscriptionStatus};

#[derive(Clone, Copy, Debug)]
pub struct Status {
    /// `None` when the user does not exist in that organization.
    pub user: Option<UserStatus>,
    /// `None` when the organization does not exist.
    pub org: Option<OrgStatus>,
}

#[derive(Clone, Copy, Debug)]
pub struct UserStatus {
    pub role: Role,
    pub is_active: bool,
}

#[derive(Clone, Copy, Debug)]
pub struct OrgStatus {
    pub is_active: bool,
    pub subscription: SubscriptionStatus,
}

pub struct StatusCache {
    ttl: Duration,
    entries: Mutex<HashMap<(Uuid, Uuid), (Instant, Status)>>,
}

/// Above this many entries, expired ones are swept on insert.
const SWEEP_AT: usize = 10_000;

impl StatusCache {
    pub fn new(ttl: Duration) -> Self {
        StatusCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(Uuid, Uuid), (Instant, Status)>> {
        // A poisoned lock only means another thread panicked mid-insert; the
        // map is still a valid cache.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self, org: Uuid, user: Uuid) -> Option<Status> {
        let map = self.lock();
        map.get(&(org, user))
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, s)| *s)
    }

    pub fn put(&self, org: Uuid, user: Uuid, status: Status) {
        if self.ttl.is_zero() {
            return;
        }
        let mut map = self.lock();
        if map.len() >= SWEEP_AT {
            let ttl = self.ttl;
            map.retain(|_, (at, _)| at.elapsed() < ttl);
        }
        map.insert((org, user), (Instant::now(), status));
    }

    pub fn invalidate_user(&self, org: Uuid, user: Uuid) {
        self.lock().remove(&(org, user));
    }

    pub fn invalidate_org(&self, org: Uuid) {
        self.lock().retain(|(o, _), _| *o != org);
    }
}
