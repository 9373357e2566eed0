//! Per-node caches of what nearly every request asks the database first: which community a
//! host belongs to, and who is behind a session or API token. Entries live a few seconds and
//! are dropped at once when this node changes any of those rows (see
//! `hromada_db::core::changes`); other nodes see a change when their entries expire.

use hromada_db::core::changes;
use hromada_db::core::communities::Community;
use hromada_kernel::CommunityId;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Past this many entries a map starts over, which bounds memory under a flood of new keys.
const MAX_ENTRIES: usize = 50_000;

/// How a request names its community.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TenantKey {
    Host(String),
    Slug(String),
}

/// A community found by host (with whether the host is its primary one) or by slug.
pub type TenantEntry = Option<(Community, bool)>;

/// Who a session or API token stands for in one community.
pub type ViewerEntry = hromada_db::core::accounts::SignedIn;

pub struct NodeCache {
    tenants: TtlMap<TenantKey, TenantEntry>,
    viewers: TtlMap<(CommunityId, Vec<u8>), ViewerEntry>,
}

impl NodeCache {
    /// `ttl` of zero turns caching off.
    pub fn new(ttl: Duration) -> Self {
        Self { tenants: TtlMap::new(ttl), viewers: TtlMap::new(ttl) }
    }

    pub fn tenant(&self, key: &TenantKey) -> Option<TenantEntry> {
        self.tenants.get(key, changes::generation())
    }

    /// `generation` is [`changes::generation`] as read before the database was.
    pub fn put_tenant(&self, key: TenantKey, entry: TenantEntry, generation: u64) {
        self.tenants.put(key, entry, generation, changes::generation());
    }

    pub fn viewer(&self, community: CommunityId, credential_hash: &[u8]) -> Option<ViewerEntry> {
        self.viewers.get(&(community, credential_hash.to_vec()), changes::generation())
    }

    pub fn put_viewer(&self, community: CommunityId, credential_hash: Vec<u8>, entry: ViewerEntry, generation: u64) {
        self.viewers.put((community, credential_hash), entry, generation, changes::generation());
    }
}

struct Cached<V> {
    value: V,
    generation: u64,
    stored: Instant,
}

/// A small map whose entries live `ttl` and only while the owner's change counter stays where
/// it was when they were read. Modules use it for their own hot rows.
pub struct TtlMap<K, V> {
    ttl: Duration,
    map: Mutex<HashMap<K, Cached<V>>>,
}

impl<K: Eq + Hash, V: Clone> TtlMap<K, V> {
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, map: Mutex::new(HashMap::new()) }
    }

    /// The value, if it is younger than the lifetime and nothing changed since it was read.
    pub fn get(&self, key: &K, generation_now: u64) -> Option<V> {
        let map = self.map.lock().expect("cache lock");
        let hit = map.get(key)?;
        (hit.generation == generation_now && hit.stored.elapsed() < self.ttl).then(|| hit.value.clone())
    }

    /// Keeps a value read under `read_generation`, unless something changed since.
    pub fn put(&self, key: K, value: V, read_generation: u64, generation_now: u64) {
        if self.ttl.is_zero() || read_generation != generation_now {
            return;
        }
        let mut map = self.map.lock().expect("cache lock");
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, Cached { value, generation: read_generation, stored: Instant::now() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn entries_expire() {
        let map: TtlMap<u8, u8> = TtlMap::new(MINUTE);
        map.put(1, 10, 0, 0);
        assert_eq!(map.get(&1, 0), Some(10));
        assert_eq!(map.get(&2, 0), None);
        let short: TtlMap<u8, u8> = TtlMap::new(Duration::from_millis(1));
        short.put(1, 10, 0, 0);
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(short.get(&1, 0), None);
    }

    #[test]
    fn nothing_is_kept_without_a_lifetime() {
        let map: TtlMap<u8, u8> = TtlMap::new(Duration::ZERO);
        map.put(1, 10, 0, 0);
        assert!(map.map.lock().unwrap().is_empty());
    }

    #[test]
    fn a_change_drops_entries_and_refuses_values_read_before_it() {
        let map: TtlMap<u8, u8> = TtlMap::new(MINUTE);
        map.put(1, 10, 3, 3);
        assert_eq!(map.get(&1, 4), None, "changed since");
        map.put(2, 20, 3, 4);
        assert_eq!(map.get(&2, 4), None, "read before the change");
    }
}
