//! A few counters in Prometheus text format; enough to see load and errors.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default)]
pub struct Metrics {
    pub requests: AtomicU64,
    pub responses_2xx: AtomicU64,
    pub responses_3xx: AtomicU64,
    pub responses_4xx: AtomicU64,
    pub responses_5xx: AtomicU64,
    pub in_flight: AtomicU64,
    /// Sum of request durations in microseconds.
    pub duration_us: AtomicU64,
}

impl Metrics {
    pub fn observe(&self, status: u16, micros: u64) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.duration_us.fetch_add(micros, Ordering::Relaxed);
        let bucket = match status {
            200..=299 => &self.responses_2xx,
            300..=399 => &self.responses_3xx,
            400..=499 => &self.responses_4xx,
            _ => &self.responses_5xx,
        };
        bucket.fetch_add(1, Ordering::Relaxed);
    }

    pub fn render(&self, extra: &[(&str, &str, i64)]) -> String {
        let mut out = String::new();
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let _ = writeln!(out, "# HELP hromada_http_requests_total HTTP requests answered.");
        let _ = writeln!(out, "# TYPE hromada_http_requests_total counter");
        for (class, c) in [
            ("2xx", &self.responses_2xx),
            ("3xx", &self.responses_3xx),
            ("4xx", &self.responses_4xx),
            ("5xx", &self.responses_5xx),
        ] {
            let _ = writeln!(out, "hromada_http_requests_total{{status=\"{class}\"}} {}", get(c));
        }
        let _ = writeln!(out, "# HELP hromada_http_request_duration_seconds_sum Time spent answering requests.");
        let _ = writeln!(out, "# TYPE hromada_http_request_duration_seconds_sum counter");
        let _ = writeln!(out, "hromada_http_request_duration_seconds_sum {:.6}", get(&self.duration_us) as f64 / 1e6);
        let _ = writeln!(out, "# HELP hromada_http_requests_in_flight Requests being answered now.");
        let _ = writeln!(out, "# TYPE hromada_http_requests_in_flight gauge");
        let _ = writeln!(out, "hromada_http_requests_in_flight {}", get(&self.in_flight));
        for (name, help, value) in extra {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} gauge");
            let _ = writeln!(out, "{name} {value}");
        }
        out
    }
}
