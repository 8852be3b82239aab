//! Batched loading without timers: every object knows the group it was read with (the
//! items of one page, the releases of one page's software, or just itself), and a related
//! field is loaded once for the whole group, by whichever of its members asks first.
//!
//! A page of 100 software asking for `releases`, `releaseCount`, `latestRelease` and the
//! releases' `software` costs one statement per relation (four in all with the page),
//! however many items the page holds and however slowly they resolve: unlike a time-window
//! DataLoader, nothing depends on which keys happen to arrive within a millisecond, and
//! nothing waits for a timer. A group lives as long as its objects, inside one response,
//! so nothing is ever served stale.

use std::any::Any;
use std::future::Future;
use std::sync::{Arc, Mutex};

use async_graphql::Result;
use tokio::sync::OnceCell;

/// A value loaded once for a whole group.
type Loaded = Arc<dyn Any + Send + Sync>;

/// A relation's name, and a number for its arguments (0 when it has none): a key that
/// costs nothing to make, for every member of a group asks with it.
pub type Key = (&'static str, u64);

/// A relation's key, and its value once loaded.
type Relation = (Key, Arc<OnceCell<Loaded>>);

/// The rows read together, and what was loaded once for all of them.
pub struct Siblings<R> {
    rows: Vec<R>,
    /// Per relation (and its arguments), the value loaded for the whole group. A list, not
    /// a map: a group has a handful of relations, and every member of it looks its own up.
    loaded: Mutex<Vec<Relation>>,
}

impl<R> Siblings<R> {
    /// The group of `rows`.
    pub fn new(rows: Vec<R>) -> Arc<Self> {
        Arc::new(Self {
            rows,
            loaded: Mutex::new(Vec::new()),
        })
    }

    /// All rows of the group.
    pub fn rows(&self) -> &[R] {
        &self.rows
    }

    /// The value of the relation `key` for the whole group: the first member to ask runs
    /// `load`; the others wait for its result. A failed load is not kept, so the next
    /// member tries again.
    pub async fn once<T, F, Fut>(&self, key: Key, load: F) -> Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let cell = {
            let mut loaded = self
                .loaded
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match loaded.iter().find(|(known, _)| *known == key) {
                Some((_, cell)) => cell.clone(),
                None => {
                    let cell = Arc::new(OnceCell::new());
                    loaded.push((key, cell.clone()));
                    cell
                }
            }
        };
        let value = cell
            .get_or_try_init(|| async { load().await.map(|value| Arc::new(value) as Loaded) })
            .await?
            .clone();
        // The key names the type: one key is only ever loaded with one `T`.
        value
            .downcast::<T>()
            .map_err(|_| async_graphql::Error::new("a group relation was loaded as another type"))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn a_relation_is_loaded_once_for_the_whole_group() {
        let group = Siblings::new(vec![1, 2, 3]);
        let loads = AtomicUsize::new(0);
        let load = || async {
            loads.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            Ok(group.rows().iter().sum::<i32>())
        };
        let (a, b, c) = tokio::join!(
            group.once(("sum", 0), load),
            group.once(("sum", 0), load),
            group.once(("sum", 0), load)
        );
        assert_eq!((*a.unwrap(), *b.unwrap(), *c.unwrap()), (6, 6, 6));
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        let other = group
            .once(("other", 0), || async { Ok(1_u8) })
            .await
            .unwrap();
        assert_eq!(*other, 1);
    }
}
