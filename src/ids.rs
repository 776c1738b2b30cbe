//! Opaque global IDs: base64url of `Kind:uuid`. Every `id` field returns
//! one; every `id` argument and input accepts one (or the bare UUID).

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Organization,
    User,
    Department,
    Employee,
    AttendanceRecord,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Organization => "Organization",
            Kind::User => "User",
            Kind::Department => "Department",
            Kind::Employee => "Employee",
            Kind::AttendanceRecord => "AttendanceRecord",
        }
    }

    fn from_name(s: &str) -> Option<Kind> {
        [
            Kind::Organization,
            Kind::User,
            Kind::Department,
            Kind::Employee,
            Kind::AttendanceRecord,
        ]
        .into_iter()
        .find(|k| k.name() == s)
    }
}

pub fn encode(kind: Kind, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{}", kind.name(), id)))
}

/// Decode any global ID (for `node(id:)`).
pub fn decode_any(id: &str) -> Option<(Kind, Uuid)> {
    let raw = URL_SAFE_NO_PAD.decode(id.trim()).ok()?;
    let s = String::from_utf8(raw).ok()?;
    let (kind, uuid) = s.split_once(':')?;
    Some((Kind::from_name(kind)?, Uuid::parse_str(uuid).ok()?))
}

/// Decode an ID that must be of `kind`; a bare UUID is accepted too.
/// `field` names the argument in the error.
pub fn decode(kind: Kind, id: &ID, field: &str) -> AppResult<Uuid> {
    if let Ok(uuid) = Uuid::parse_str(id.trim()) {
        return Ok(uuid);
    }
    match decode_any(id) {
        Some((k, uuid)) if k == kind => Ok(uuid),
        _ => Err(AppError::bad_input(format!("{field}: not a valid {} id", kind.name()))),
    }
}
