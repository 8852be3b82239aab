//! A map by text whose size stays bounded: when full, it starts over. For what is kept
//! only to save work (parsed documents, persisted queries), where losing everything now
//! and then costs a re-parse or a database read, and an unbounded map would let clients
//! that send ever new texts grow the server's memory.

use std::sync::RwLock;

use foldhash::{HashMap, HashMapExt};

/// Values by their text key, at most `capacity` of them.
pub struct BoundedMap<V> {
    entries: RwLock<HashMap<String, V>>,
    capacity: usize,
}

impl<V: Clone> BoundedMap<V> {
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: RwLock::new(HashMap::new()),
            capacity,
        }
    }

    /// A copy of the value kept for `key`.
    pub fn get(&self, key: &str) -> Option<V> {
        self.entries
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(key)
            .cloned()
    }

    /// Keeps `value` for `key`; a full map is emptied first.
    pub fn insert(&self, key: &str, value: V) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= self.capacity {
            entries.clear();
        }
        entries.insert(key.to_owned(), value);
    }

    /// How many values are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .len()
    }
}
