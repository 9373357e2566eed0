//! Stores of the platform core. Every function that touches tenant-owned rows takes the
//! community as its first argument after the pool.

pub mod accounts;
pub mod audit;
pub mod changes;
pub mod communities;
pub mod departments;
pub mod holidays;
pub mod operators;
pub mod outbox;
pub mod roles;
pub mod sessions;
pub mod settlements;
pub mod tokens;
pub mod users;
