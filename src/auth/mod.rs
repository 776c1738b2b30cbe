//! Authentication: passwords, access tokens (JWT), refresh tokens, the
//! status cache, and the service behind `login`, `refreshToken`, `logout`
//! and the request middleware (layer 1).

mod jwt;
mod password;
mod refresh;
mod service;
mod status;

pub use jwt::{Claims, JwtKeys, role_name};
pub use password::{hash_password, validate_password};
pub use refresh::random_token;
pub use service::{AuthService, Issued, Rejection, revoke_sessions};
pub use status::StatusCache;
