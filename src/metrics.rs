//! What operators see at `/metrics`, in Prometheus' text format (the `prometheus-client`
//! crate). One registry per running server, so several servers in one process (tests)
//! never mix their figures.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use foldhash::{HashMap, HashMapExt};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sea_orm::DatabaseConnection;

/// How many distinct operation names get a label of their own. Clients choose the names,
/// so without a bound a client could grow the registry without end; later names are
/// counted as `(other)`.
const MAX_OPERATION_LABELS: usize = 200;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LimitLabels {
    limit: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: String,
}

/// The server's metrics; cheap to clone, all clones count into one registry.
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

struct Inner {
    registry: Registry,
    requests: Family<OperationLabels, Counter>,
    latency: Histogram,
    refusals: Family<LimitLabels, Counter>,
    pool: Family<PoolLabels, Gauge>,
    websockets: Gauge,
    slow_clients: Counter,
    operation_names: Mutex<HashSet<String>>,
    /// The `ok` counter of each operation name that has its own label (and of anonymous
    /// operations, under ""), found without making the labels: most requests succeed,
    /// and this is then the only lookup of a request.
    succeeded: RwLock<HashMap<String, Counter>>,
}

/// One open WebSocket connection, counted in `swcat_websocket_connections`.
pub struct OpenWebSocket(Gauge);

impl Drop for OpenWebSocket {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("swcat");
        let requests = Family::<OperationLabels, Counter>::default();
        registry.register(
            "graphql_requests",
            "GraphQL requests by operation name and outcome (ok, or the first error's code)",
            requests.clone(),
        );
        // 1 ms to about 32 s.
        let latency = Histogram::new(exponential_buckets(0.001, 2.0, 16));
        registry.register(
            "graphql_request_duration_seconds",
            "Time to answer one GraphQL request (a batch counts once)",
            latency.clone(),
        );
        let refusals = Family::<LimitLabels, Counter>::default();
        registry.register(
            "limit_refusals",
            "Requests refused by a limit before anything ran, by limit",
            refusals.clone(),
        );
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "Database connections of this instance's pool, by state (in_use, idle, max)",
            pool.clone(),
        );
        let websockets = Gauge::default();
        registry.register(
            "websocket_connections",
            "WebSocket connections open on this instance (/graphql/ws)",
            websockets.clone(),
        );
        let slow_clients = Counter::default();
        registry.register(
            "websocket_slow_clients_disconnected",
            "WebSocket clients disconnected because they stopped reading",
            slow_clients.clone(),
        );
        Self(Arc::new(Inner {
            registry,
            requests,
            latency,
            refusals,
            pool,
            websockets,
            slow_clients,
            operation_names: Mutex::new(HashSet::new()),
            succeeded: RwLock::new(HashMap::new()),
        }))
    }
}

impl Metrics {
    /// Counts one GraphQL operation.
    pub fn operation(&self, name: Option<&str>, outcome: &str) {
        let ok = outcome == "ok";
        let key = name.unwrap_or_default();
        if ok {
            let succeeded = self
                .0
                .succeeded
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(counter) = succeeded.get(key) {
                counter.inc();
                return;
            }
        }
        let operation = self.operation_label(name);
        let own_label = operation != "(other)";
        let counter = self
            .0
            .requests
            .get_or_create(&OperationLabels {
                operation,
                outcome: outcome.to_owned(),
            })
            .clone();
        counter.inc();
        if ok && own_label {
            self.0
                .succeeded
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .insert(key.to_owned(), counter);
        }
    }

    /// Records how long one GraphQL request took.
    pub fn latency(&self, elapsed: Duration) {
        self.0.latency.observe(elapsed.as_secs_f64());
    }

    /// Counts a request refused by `limit`.
    pub fn refusal(&self, limit: &str) {
        self.0
            .refusals
            .get_or_create(&LimitLabels {
                limit: limit.to_owned(),
            })
            .inc();
    }

    /// Counts a WebSocket connection as open until the guard drops.
    pub fn websocket_opened(&self) -> OpenWebSocket {
        self.0.websockets.inc();
        OpenWebSocket(self.0.websockets.clone())
    }

    /// Counts a WebSocket client disconnected for not reading.
    pub fn slow_client_disconnected(&self) {
        self.0.slow_clients.inc();
    }

    /// The metrics in Prometheus' text format, with the pool's state read now.
    pub fn render(&self, db: &DatabaseConnection, max_connections: u32) -> String {
        let (size, idle) = pool_state(db);
        let set = |state: &str, value: i64| {
            self.0
                .pool
                .get_or_create(&PoolLabels {
                    state: state.to_owned(),
                })
                .set(value);
        };
        set("in_use", size.saturating_sub(idle));
        set("idle", idle);
        set("max", i64::from(max_connections));
        let mut text = String::new();
        if let Err(err) = prometheus_client::encoding::text::encode(&mut text, &self.0.registry) {
            tracing::error!(error = %err, "cannot encode the metrics");
        }
        text
    }

    fn operation_label(&self, name: Option<&str>) -> String {
        let Some(name) = name.filter(|name| !name.is_empty()) else {
            return "(anonymous)".to_owned();
        };
        let mut names = self
            .0
            .operation_names
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if names.contains(name) {
            return name.to_owned();
        }
        if names.len() < MAX_OPERATION_LABELS {
            names.insert(name.to_owned());
            return name.to_owned();
        }
        "(other)".to_owned()
    }
}

/// Connections open in the pool, and how many of them are idle.
fn pool_state(db: &DatabaseConnection) -> (i64, i64) {
    let (size, idle) = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        sea_orm::DatabaseBackend::MySql => {
            let pool = db.get_mysql_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
    };
    (i64::from(size), i64::try_from(idle).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_beyond_the_bound_share_one_label() {
        let metrics = Metrics::default();
        for i in 0..MAX_OPERATION_LABELS + 50 {
            metrics.operation(Some(&format!("op{i}")), "ok");
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &metrics.0.registry).unwrap();
        let series = text
            .lines()
            .filter(|line| line.starts_with("swcat_graphql_requests_total{"))
            .count();
        assert_eq!(series, MAX_OPERATION_LABELS + 1);
        assert_eq!(metrics.operation_label(Some("op0")), "op0");
        assert_eq!(metrics.operation_label(Some("brand-new")), "(other)");
        assert_eq!(metrics.operation_label(None), "(anonymous)");
    }

    #[test]
    fn every_request_is_counted_under_its_operation_and_outcome() {
        let metrics = Metrics::default();
        for _ in 0..3 {
            metrics.operation(Some("Q"), "ok");
            metrics.operation(None, "ok");
            metrics.operation(Some(""), "ok");
        }
        metrics.operation(Some("Q"), "BAD_USER_INPUT");
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &metrics.0.registry).unwrap();
        for line in [
            r#"swcat_graphql_requests_total{operation="Q",outcome="ok"} 3"#,
            r#"swcat_graphql_requests_total{operation="(anonymous)",outcome="ok"} 6"#,
            r#"swcat_graphql_requests_total{operation="Q",outcome="BAD_USER_INPUT"} 1"#,
        ] {
            assert!(text.lines().any(|l| l == line), "{line} not in\n{text}");
        }
    }
}
