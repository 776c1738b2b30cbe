//! The request's organization context (layer 1's result).

use uuid::Uuid;

use crate::entity::enums::Role;

/// Who is asking, decided once per request from a verified token and the
/// current state of the user and organization. Never built from client
/// input: the organization comes only from the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrgContext {
    /// The organization every query of this request is confined to.
    pub organization_id: Uuid,
    /// The authenticated user (`sub`).
    pub user_id: Uuid,
    /// The user's current role, read from the database (not the token), so a
    /// demotion takes effect without waiting for the token to expire.
    pub role: Role,
}

tokio::task_local! {
    /// The context for code below the resolvers (logging, services called
    /// outside GraphQL). Dataloaders do not rely on it: async-graphql runs
    /// their batches on spawned tasks, so they carry their own handle.
    pub(crate) static CURRENT_ORG: OrgContext;
}

/// The organization context of the current task, if one was entered.
pub fn current_org() -> Option<OrgContext> {
    CURRENT_ORG.try_with(|c| *c).ok()
}
