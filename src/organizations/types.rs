use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};

use crate::{
    entity::{enums::SubscriptionStatus, organization},
    ids::{self, Kind},
};

/// A tenant: a company using the HR system.
pub struct Organization(pub organization::Model);

#[Object]
impl Organization {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Organization, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The short name used at login.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn is_active(&self) -> bool {
        self.0.is_active
    }
    async fn subscription_status(&self) -> SubscriptionStatus {
        self.0.subscription_status
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}
