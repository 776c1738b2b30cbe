//! Users (login accounts): `me`, `users` (ADMIN), `createUser` and
//! `updateUser` (ADMIN).

mod resolvers;
pub mod service;
mod types;

pub use resolvers::{UserMutation, UserQuery};
pub use types::User;
