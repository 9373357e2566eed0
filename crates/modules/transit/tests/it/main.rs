//! Tests of the transit engine through its public API, on small feeds built here.

mod departures;
mod import;
mod properties;
mod realtime;
mod stops;
mod support;
