//! The engine of SMART stops: a community's public transport timetable (GTFS), its realtime
//! predictions (GTFS-Realtime), and the next arrivals at a stop.
//!
//! The model, in the words of GTFS:
//!
//! - a [`Feed`] holds agencies, [`Route`]s (a line, e.g. trolleybus 12), [`Stop`]s (a platform, or a
//!   station grouping platforms), [`Trip`]s (one journey of a route), their stop times, and the
//!   services that say on which dates each trip runs. Rows refer to each other by `u32` indices
//!   ([`StopIdx`], [`TripIdx`], …) and stop times are columns, so a million of them take about 30 MB
//!   with their indexes;
//! - [`import`] reads a GTFS zip into a feed, skipping and reporting bad rows ([`Report`]);
//! - [`schedule`] knows service days: a trip's times count from "noon minus 12 h" of its service date
//!   on Kyiv's clocks, so `25:10:00` is ten past one the next night, and daylight-saving days come out
//!   right; and the calendar of services with its exceptions;
//! - [`realtime`] decodes a GTFS-Realtime message into delays, skipped stops, cancelled trips and vehicle
//!   positions, ignoring data gone stale;
//! - [`next_departures`] puts it together into a stop's departure board ([`Arrival`]s);
//! - [`stops`] finds stops by name (Ukrainian apostrophes folded) or near a point.
//!
//! The engine does no I/O beyond reading the zip it is given, and never reads the system clock: "now"
//! is always an argument. On top of it, [`Transit`] is the module: the timetable and realtime data
//! stored per community, the stop pages and boards, the officials' side, the API and the chatbot.

mod admin;
mod api;
pub mod arrivals;
pub mod board;
mod bot;
mod module;
pub mod store;
mod web;

pub mod feed;
pub mod import;
pub mod realtime;
pub mod report;
pub mod schedule;
pub mod stops;
pub mod testing;

pub use arrivals::{Arrival, next_departures};
pub use feed::{
    Agency, Feed, FeedData, Frequency, InvalidFeed, LocationType, Mode, Route, RouteIdx, Stop, StopIdx, Trip, TripIdx,
};
pub use import::{ImportError, Imported};
pub use module::{FeedImportError, KEY, RealtimeSettings, Transit, demo_feed, import_feed, poll, settings};
pub use realtime::{Prediction, Realtime, RealtimeError};
pub use report::{Problem, ProblemKind, Report, Severity};
pub use schedule::{Service, ServiceDay};
pub use stops::{nearest_stops, search_stops};
