//! Domain vocabulary shared by every part of Hromada.
//!
//! Nothing here knows about HTTP or SQL: the words of the domain only.

pub mod calendar;
pub mod clock;
pub mod colour;
pub mod eligibility;
pub mod events;
pub mod identity;
pub mod lang;
pub mod money;
pub mod permissions;
pub mod text;

pub use calendar::WorkingCalendar;
pub use clock::{Clock, FixedClock, SystemClock};
pub use colour::Colour;
pub use eligibility::{Eligibility, Ineligible, Person};
pub use events::DomainEvent;
pub use identity::{IdentityLevel, normalize_tax_number};
pub use lang::Lang;
pub use permissions::{Permission, Role};
pub use text::LocalizedText;

/// Identifier of a community (територіальна громада).
pub type CommunityId = uuid::Uuid;
/// Identifier of a resident or official account inside one community.
pub type UserId = uuid::Uuid;

/// A new time-ordered identifier (UUID v7): sorts by creation, safe to expose.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// A point on the map (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    pub fn new(lat: f64, lon: f64) -> Option<Self> {
        ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some(Self { lat, lon })
    }
}
