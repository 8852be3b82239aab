//! The live change feed of one instance: reads the change log once for all its
//! subscribers, and follows it for each subscriber from wherever that subscriber resumes.
//!
//! One reader per instance, whatever the number of subscribers: on PostgreSQL it wakes on
//! `LISTEN swcat_changes` (each committing mutation sends its position with `NOTIFY`, on
//! any instance); on MySQL/MariaDB and SQLite it polls the log every
//! [`FeedSettings::poll_interval`], and only while someone is subscribed. Either way it
//! reads the new changes once and publishes them to the instance's subscribers through a
//! bounded broadcast channel.
//!
//! A subscriber first reads what it missed from the database (everything after its `after`
//! cursor, up to the log's head), then follows the broadcast. Positions are dense and
//! commit in order ([`crate::catalog::changes`]), so a subscriber can check that each
//! change it is handed is the one right after the last it saw. When it is not (the
//! subscriber fell more than the channel's capacity behind, or it joined while the reader
//! was between two reads), it reads the missing stretch from the database again; and when
//! the reader skips a stretch itself (on its first read, or after falling far behind), it
//! says so, and each subscriber reads that stretch from the database. So no change is
//! skipped or repeated at the seam, and a slow subscriber costs database reads, never
//! unbounded memory.
//!
//! The instance also prunes the log of changes older than [`FeedSettings::retention`].

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt};
use sea_orm::{DatabaseConnection, DbBackend};
use tokio::sync::{Notify, broadcast};
use tokio::task::AbortHandle;
use uuid::Uuid;

use crate::catalog::CatalogError;
use crate::catalog::changes::{self, Change, Head};
use crate::domain::ValidationError;
use crate::report::ErrorChain;
use crate::settings::FeedSettings;

/// How many changes one database read of the log returns at most.
const PAGE: u64 = 500;

/// How many published changes a subscriber may fall behind before it reads from the
/// database instead.
const CHANNEL_CAPACITY: usize = 1024;

/// The reader publishes at most this many changes in one wake-up; further behind (it had
/// no subscribers for a while), it starts at the head and lets subscribers catch up from
/// the database themselves.
const MAX_BACKLOG: i64 = 10_000;

/// [`Inner::position`] before the reader knows where it stands.
const UNKNOWN: i64 = -1;

/// One subscriber's changes, in order; an error ends it.
pub type ChangeStream = BoxStream<'static, Result<Arc<Change>, CatalogError>>;

/// The instance's change feed. Cheap to clone; its tasks stop when the last clone drops.
#[derive(Clone)]
pub struct ChangeFeed {
    inner: Arc<Inner>,
}

/// What the reader hands to the instance's subscribers.
#[derive(Clone)]
enum Published {
    /// The next change, right after the one published before it.
    Change(Arc<Change>),
    /// Every change through this position has committed, but the reader did not hand them
    /// over (it had fallen far behind, or just started): read them from the database.
    Through(i64),
}

struct Inner {
    db: DatabaseConnection,
    published: broadcast::Sender<Published>,
    /// The position through which the reader has published, shared with subscribers so
    /// that the first of them can tell the reader where to start ([`UNKNOWN`] until then).
    position: Arc<AtomicI64>,
    tasks: Vec<AbortHandle>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl ChangeFeed {
    /// Starts the instance's reader of the change log and its pruner.
    pub fn start(db: DatabaseConnection, settings: &FeedSettings) -> Self {
        let (published, _) = broadcast::channel(CHANNEL_CAPACITY);
        let wake = Arc::new(Notify::new());
        let position = Arc::new(AtomicI64::new(UNKNOWN));
        let reader = read_log(
            db.clone(),
            published.clone(),
            position.clone(),
            wake.clone(),
        );
        let mut tasks = vec![
            tokio::spawn(reader).abort_handle(),
            tokio::spawn(prune(db.clone(), settings.retention)).abort_handle(),
        ];
        let waker = if db.get_database_backend() == DbBackend::Postgres {
            tokio::spawn(listen(db.clone(), wake))
        } else {
            tokio::spawn(poll(settings.poll_interval, published.clone(), wake))
        };
        tasks.push(waker.abort_handle());
        Self {
            inner: Arc::new(Inner {
                db,
                published,
                position,
                tasks,
            }),
        }
    }

    /// The changes after `after` (a position), or after the newest committed change when
    /// `after` is `None`, then every change as it commits; only those of `software_id` when
    /// it is given. Refuses a position this log never reached (`Invalid`) and one whose
    /// successors have been pruned (`CursorExpired`).
    pub async fn subscribe(
        &self,
        after: Option<i64>,
        software_id: Option<Uuid>,
    ) -> Result<ChangeStream, CatalogError> {
        // Subscribed before the head is read, so nothing published after that read is lost.
        let receiver = self.inner.published.subscribe();
        let head = changes::head(&self.inner.db).await?;
        // Everything through `head` is committed: if the reader does not know where to start
        // yet, it starts here and hands over the next change itself. (Otherwise its first
        // read would send every subscriber to the database for the stretch it skipped.)
        let _ = self.inner.position.compare_exchange(
            UNKNOWN,
            head.position,
            Ordering::SeqCst,
            Ordering::SeqCst,
        );
        let start = match after {
            None => head.position,
            Some(position) => {
                check_resumable(position, head)?;
                position
            }
        };
        Ok(follow(
            self.inner.db.clone(),
            receiver,
            start,
            head.position,
            software_id,
        )
        .boxed())
    }
}

/// Whether a subscriber can resume after `position`.
fn check_resumable(position: i64, head: Head) -> Result<(), CatalogError> {
    if position > head.position {
        return Err(
            ValidationError::new("after", "is not a cursor of this catalog's change feed").into(),
        );
    }
    if position < head.pruned_through {
        return Err(CatalogError::CursorExpired);
    }
    Ok(())
}

/// One subscriber's feed: the database from `last` through `through`, then the broadcast,
/// re-reading the database for any stretch the broadcast did not hand over in order.
fn follow(
    db: DatabaseConnection,
    mut receiver: broadcast::Receiver<Published>,
    mut last: i64,
    through: i64,
    software_id: Option<Uuid>,
) -> impl Stream<Item = Result<Arc<Change>, CatalogError>> + Send + 'static {
    async_stream::stream! {
        let mut catch_up_through = Some(through);
        loop {
            if let Some(through) = catch_up_through.take() {
                while last < through {
                    let page = match changes::read(&db, last, through, software_id, PAGE).await {
                        Ok(page) => page,
                        Err(err) => {
                            yield Err(err);
                            return;
                        }
                    };
                    let complete = (page.len() as u64) < PAGE;
                    for change in page {
                        last = change.position;
                        yield Ok(Arc::new(change));
                    }
                    if complete {
                        // The rest of the stretch is other software's changes.
                        last = through;
                    }
                }
            }
            match receiver.recv().await {
                Ok(Published::Change(change)) if change.position <= last => {}
                Ok(Published::Change(change)) if change.position == last + 1 => {
                    last = change.position;
                    if software_id.is_none_or(|id| id == change.software_id) {
                        yield Ok(change);
                    }
                }
                // A stretch the broadcast did not hand over: read it, this change included.
                Ok(Published::Change(change)) => catch_up_through = Some(change.position),
                Ok(Published::Through(position)) if position > last => {
                    catch_up_through = Some(position);
                }
                Ok(Published::Through(_)) => {}
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    match changes::head(&db).await {
                        Ok(head) if last < head.pruned_through => {
                            yield Err(CatalogError::CursorExpired);
                            return;
                        }
                        Ok(head) => catch_up_through = Some(head.position),
                        Err(err) => {
                            yield Err(err);
                            return;
                        }
                    }
                }
                // The instance is shutting down.
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }
}

/// The instance's one reader: on each wake-up, publishes the changes committed since the
/// last, in order. Reads nothing while no one is subscribed; then it forgets where it
/// stood, and the next subscriber tells it. (Not knowing, its first read tells subscribers
/// to look in the database for anything up to the head, so nothing is lost either way.)
async fn read_log(
    db: DatabaseConnection,
    published: broadcast::Sender<Published>,
    position: Arc<AtomicI64>,
    wake: Arc<Notify>,
) {
    loop {
        wake.notified().await;
        if published.receiver_count() == 0 {
            position.store(UNKNOWN, Ordering::SeqCst);
            continue;
        }
        let mut last = Some(position.load(Ordering::SeqCst)).filter(|p| *p != UNKNOWN);
        let outcome = publish_new(&db, &published, &mut last).await;
        if let Some(last) = last {
            position.store(last, Ordering::SeqCst);
        }
        if let Err(err) = outcome {
            tracing::warn!(error = %ErrorChain(&err), "reading the change log failed; retrying on the next wake-up");
        }
    }
}

async fn publish_new(
    db: &DatabaseConnection,
    published: &broadcast::Sender<Published>,
    last: &mut Option<i64>,
) -> Result<(), CatalogError> {
    let head = changes::head(db).await?;
    let mut position = match *last {
        Some(position) if head.position - position <= MAX_BACKLOG => position,
        // Subscribers that need what lies before read it from the database themselves.
        _ => {
            let _ = published.send(Published::Through(head.position));
            *last = Some(head.position);
            return Ok(());
        }
    };
    while position < head.position {
        let page = changes::read(db, position, head.position, None, PAGE).await?;
        let Some(newest) = page.last().map(|change| change.position) else {
            break;
        };
        for change in page {
            // No receiver is not an error: the next read starts after these anyway.
            let _ = published.send(Published::Change(Arc::new(change)));
        }
        position = newest;
        *last = Some(position);
    }
    *last = Some(head.position);
    Ok(())
}

/// MySQL/MariaDB and SQLite: wakes the reader every `interval` while anyone is subscribed.
async fn poll(interval: Duration, published: broadcast::Sender<Published>, wake: Arc<Notify>) {
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if published.receiver_count() > 0 {
            wake.notify_one();
        }
    }
}

/// PostgreSQL: wakes the reader on each `NOTIFY` of a change, and after a lost listening
/// connection is back (notifications sent meanwhile are lost, the log is not).
async fn listen(db: DatabaseConnection, wake: Arc<Notify>) {
    use sea_orm::sqlx::postgres::{PgListener, PgPoolOptions};

    // A connection of its own, beside the request pool: a listener holds its connection for
    // good, and must not take a place that requests need.
    let options = db.get_postgres_connection_pool().connect_options();
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with(options.as_ref().clone());
    let mut retry = Duration::from_millis(100);
    loop {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(listener) => listener,
            Err(err) => {
                tracing::warn!(error = %ErrorChain(&err), "cannot listen for changes; retrying");
                tokio::time::sleep(retry).await;
                retry = (retry * 2).min(Duration::from_secs(5));
                continue;
            }
        };
        if let Err(err) = listener.listen(changes::CHANNEL).await {
            tracing::warn!(error = %ErrorChain(&err), "cannot listen for changes; retrying");
            tokio::time::sleep(retry).await;
            continue;
        }
        retry = Duration::from_millis(100);
        wake.notify_one();
        loop {
            match listener.try_recv().await {
                Ok(Some(_)) => wake.notify_one(),
                // The connection was lost; the next call reconnects and listens again.
                Ok(None) => wake.notify_one(),
                Err(err) => {
                    tracing::warn!(error = %ErrorChain(&err), "listening for changes failed; reconnecting");
                    tokio::time::sleep(retry).await;
                    break;
                }
            }
        }
    }
}

/// Deletes changes older than `retention`, a few times per retention period (at most
/// every minute).
async fn prune(db: DatabaseConnection, retention: Duration) {
    let every = (retention / 4).clamp(Duration::from_millis(250), Duration::from_secs(60));
    // Not at once: an instance that starts runs no statements until it is used.
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let retention_ms = i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
        let before = chrono::Utc::now()
            .timestamp_millis()
            .saturating_sub(retention_ms);
        match changes::prune(&db, before).await {
            Ok(0) => {}
            Ok(pruned) => tracing::debug!(pruned, "pruned the change log"),
            Err(err) => tracing::warn!(error = %ErrorChain(&err), "pruning the change log failed"),
        }
    }
}
