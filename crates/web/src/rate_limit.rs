//! Fixed-window rate limits kept in memory, per key (an action and a client address or account).
//! Per app node: with several nodes the limit is per node, which still stops one client's flood.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    /// Counts one hit for `key`; false when more than `limit` hits fell in the current window.
    pub fn hit(&self, key: &str, limit: u32, window: Duration) -> bool {
        let now = Instant::now();
        let mut map = self.windows.lock().expect("rate limiter lock");
        if map.len() > 100_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = map.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_up_to_the_limit_per_key() {
        let limiter = RateLimiter::default();
        let w = Duration::from_secs(60);
        assert!((0..3).all(|_| limiter.hit("login:1.2.3.4", 3, w)));
        assert!(!limiter.hit("login:1.2.3.4", 3, w));
        assert!(limiter.hit("login:5.6.7.8", 3, w));
    }
}
