//! Per-node caches of what nearly every request asks the database first: which community a
//! host belongs to, and who is behind a session or API token. Entries live a few seconds and
//! are dropped at once when this node changes any of those rows (see
//! `hromada_db::core::changes`); other nodes see a change when their entries expire.

use hromada_db::core::changes;
use hromada_db::core::communities::Community;
use hromada_db::core::sessions::Session;
use hromada_db::core::users::User;
use hromada_kernel::{CommunityId, Role};
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
#[derive(Debug, Clone)]
pub struct ViewerEntry {
    /// The session, for expiry and its kind; `None` for an API token.
    pub session: Option<Session>,
    pub user: User,
    pub roles: Vec<Role>,
}

pub struct NodeCache {
    ttl: Duration,
    tenants: TtlMap<TenantKey, TenantEntry>,
    viewers: TtlMap<(CommunityId, Vec<u8>), ViewerEntry>,
}

impl NodeCache {
    /// `ttl` of zero turns caching off.
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, tenants: TtlMap::default(), viewers: TtlMap::default() }
    }

    pub fn tenant(&self, key: &TenantKey) -> Option<TenantEntry> {
        self.tenants.get(key, self.ttl)
    }

    /// `generation` is [`changes::generation`] as read before the database was.
    pub fn put_tenant(&self, key: TenantKey, entry: TenantEntry, generation: u64) {
        self.tenants.put(key, entry, generation, self.ttl);
    }

    pub fn viewer(&self, community: CommunityId, credential_hash: &[u8]) -> Option<ViewerEntry> {
        self.viewers.get(&(community, credential_hash.to_vec()), self.ttl)
    }

    pub fn put_viewer(&self, community: CommunityId, credential_hash: Vec<u8>, entry: ViewerEntry, generation: u64) {
        self.viewers.put((community, credential_hash), entry, generation, self.ttl);
    }
}

struct Cached<V> {
    value: V,
    generation: u64,
    stored: Instant,
}

struct TtlMap<K, V>(Mutex<HashMap<K, Cached<V>>>);

impl<K, V> Default for TtlMap<K, V> {
    fn default() -> Self {
        Self(Mutex::new(HashMap::new()))
    }
}

impl<K: Eq + Hash, V: Clone> TtlMap<K, V> {
    fn get(&self, key: &K, ttl: Duration) -> Option<V> {
        let map = self.0.lock().expect("cache lock");
        let hit = map.get(key)?;
        (hit.generation == changes::generation() && hit.stored.elapsed() < ttl).then(|| hit.value.clone())
    }

    fn put(&self, key: K, value: V, generation: u64, ttl: Duration) {
        if ttl.is_zero() || generation != changes::generation() {
            return;
        }
        let mut map = self.0.lock().expect("cache lock");
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, Cached { value, generation, stored: Instant::now() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire() {
        let map: TtlMap<u8, u8> = TtlMap::default();
        map.put(1, 10, changes::generation(), Duration::from_secs(60));
        assert_eq!(map.get(&1, Duration::from_secs(60)), Some(10));
        assert_eq!(map.get(&1, Duration::ZERO), None);
        assert_eq!(map.get(&2, Duration::from_secs(60)), None);
    }

    #[test]
    fn nothing_is_kept_without_a_lifetime() {
        let map: TtlMap<u8, u8> = TtlMap::default();
        map.put(1, 10, changes::generation(), Duration::ZERO);
        assert!(map.0.lock().unwrap().is_empty());
    }

    #[test]
    fn an_entry_read_before_a_change_is_not_kept() {
        let map: TtlMap<u8, u8> = TtlMap::default();
        map.put(1, 10, changes::generation().wrapping_sub(1), Duration::from_secs(60));
        assert_eq!(map.get(&1, Duration::from_secs(60)), None);
    }
}
