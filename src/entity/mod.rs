//! SeaORM entities: the database's shape. Never exposed as GraphQL types;
//! the areas map them to their own objects. The enums are shared with the
//! API (their names are the contract on both sides).

pub mod attendance_record;
pub mod department;
pub mod employee;
pub mod enums;
pub mod organization;
pub mod refresh_token;
pub mod user;
