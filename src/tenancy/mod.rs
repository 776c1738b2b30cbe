//! The tenancy kernel: who is asking ([`OrgContext`]), the one global filter
//! every tenant entity implements ([`OrgFilter`]), and the org-scoped database
//! handle ([`OrgDb`]) that is the only way resolvers reach tenant data.

pub mod audit;
mod conn;
mod context;
mod filter;
pub mod guards;
mod handle;
pub mod roles;

pub use conn::{CountedTx, SET_ORG_SQL, ScopedConn, StatementCount};
pub(crate) use context::CURRENT_ORG;
pub use context::{OrgContext, current_org};
pub use filter::OrgFilter;
pub use handle::{OrgDb, OrgSelect};
