//! A per-process count of changes to what request caches keep (communities and their hosts,
//! accounts, roles, sessions, API tokens). A cache entry taken under an older count is dropped
//! at once on this node; other nodes drop theirs when the entries expire.

use std::sync::atomic::{AtomicU64, Ordering};

static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Read it before reading the database, and keep it with what was read.
pub fn generation() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

/// Called after a change has committed.
pub(crate) fn changed() {
    GENERATION.fetch_add(1, Ordering::AcqRel);
}
