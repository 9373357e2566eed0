//! Per-process counts of changes, for caches of rows: an entry taken under an older count is
//! dropped at once on this node; other nodes drop theirs when the entries expire.

use std::sync::atomic::{AtomicU64, Ordering};

/// A count of changes to some rows; read it before reading them, bump it after a change commits.
pub struct ChangeCounter(AtomicU64);

impl ChangeCounter {
    pub const fn new() -> Self {
        Self(AtomicU64::new(0))
    }

    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

impl Default for ChangeCounter {
    fn default() -> Self {
        Self::new()
    }
}

/// What request caches keep of the core: communities and their hosts, accounts, roles,
/// sessions, API tokens.
static CORE: ChangeCounter = ChangeCounter::new();

/// Read it before reading the database, and keep it with what was read.
pub fn generation() -> u64 {
    CORE.current()
}

/// Called after a change has committed.
pub(crate) fn changed() {
    CORE.bump();
}
