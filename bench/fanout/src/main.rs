//! Fan-out benchmark client (run by `bench/fanout.sh`): holds `--subscribers` WebSocket
//! connections open on instance A, each with one `catalogChanges` subscription, makes
//! `--changes` changes through instance B over HTTP, and measures how long each change
//! takes to reach every subscriber, from the moment its mutation is sent.
//!
//! Steps: read `catalogChangeCursor` from A; open the connections, at most
//! `--connect-batch` handshakes at a time (`connection_init`, `connection_ack`, then
//! `subscribe` after that cursor); make one warm-up change through B and wait until every
//! subscriber has it (the protocol acknowledges no `subscribe`, so this is how we know all
//! subscriptions run; it is left out of the figures); make the changes, one every
//! `--interval-ms` (each a different 0 to `--spread-ms` ms late); wait for their
//! deliveries; print the figures; then hold the subscriptions open, idle, for `--idle`
//! seconds (the script measures the server's idle cost meanwhile; the line `idle: …` marks
//! the start) and close them.
//!
//! Prints human lines, then one `RESULT key=value …` line for the script. Exit status 1 when
//! a delivery is missing or repeated, or a connection failed; 2 when the run could not be
//! made at all.

use std::collections::{HashMap, HashSet};
use std::error::Error;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// The subscription each connection runs: every change, after the cursor read from A.
const SUBSCRIPTION: &str = "subscription($after: String) {
    catalogChanges(after: $after) { cursor kind softwareId releaseIds }
}";

const CREATE: &str = "mutation($input: CreateSoftwareInput!) {
    createSoftware(input: $input) { id }
}";

/// How long one subscriber waits for `connection_ack`.
const ACK_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Parser)]
#[command(about = "Fan-out benchmark client for swcat's catalogChanges subscription")]
struct Args {
    /// Instance A, which holds the subscriptions (http://HOST:PORT).
    #[arg(long)]
    subscribe_to: String,
    /// Instance B, through which the changes are made (http://HOST:PORT).
    #[arg(long)]
    write_to: String,
    /// How many connections to hold open on A, one subscription each.
    #[arg(long, default_value_t = 5000)]
    subscribers: usize,
    /// How many changes to measure (the warm-up change not counted).
    #[arg(long, default_value_t = 20)]
    changes: usize,
    /// Milliseconds between two changes on average, so each is delivered on its own.
    #[arg(long, default_value_t = 500)]
    interval_ms: u64,
    /// Each change is sent a different 0 to `--spread-ms` - 1 ms late, so that the changes do
    /// not all fall at the same point of a polling instance's cycle (SQLite: 100 ms).
    #[arg(long, default_value_t = 100)]
    spread_ms: u64,
    /// Most connection handshakes in flight at once, so A is not flooded.
    #[arg(long, default_value_t = 200)]
    connect_batch: usize,
    /// Seconds to wait for every subscriber to have the warm-up change, and for the
    /// deliveries of the last change.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Seconds to hold the subscriptions open after the changes, with nothing changing.
    #[arg(long, default_value_t = 5.0)]
    idle: f64,
}

/// One change as a subscriber received it.
struct Receipt {
    /// Which subscriber received it, to tell a repeated delivery from another subscriber's.
    subscriber: usize,
    /// When it was read off the socket, to measure the latency.
    at: Instant,
}

/// Every change the subscribers received, by software id (each change creates a new one).
type Receipts = Arc<Mutex<HashMap<String, Vec<Receipt>>>>;

/// What one subscriber task needs.
struct Subscriber {
    /// Its number, recorded with what it receives.
    index: usize,
    /// A's WebSocket endpoint.
    url: String,
    /// The cursor it subscribes after.
    cursor: String,
    /// Where it records what it receives.
    receipts: Receipts,
    /// Turns to open a connection, `--connect-batch` of them.
    connecting: Arc<Semaphore>,
    /// Where it reports that its subscription is sent (or why not).
    subscribed: mpsc::UnboundedSender<Result<(), String>>,
    /// Tells it to close its connection.
    stop: watch::Receiver<bool>,
}

/// One measured change.
struct Sent {
    /// The software its mutation created: how subscribers' receipts are matched to it.
    software_id: String,
    /// When its mutation was sent: latencies are measured from here.
    at: Instant,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("fanout: {err}");
            ExitCode::from(2)
        }
    }
}

/// The benchmark: `Ok(false)` when a delivery is missing or repeated, or a connection failed.
async fn run(args: Args) -> Result<bool, String> {
    let n = args.subscribers;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|err| format!("cannot build the HTTP client: {}", chain(&err)))?;
    let a = format!("{}/graphql", args.subscribe_to.trim_end_matches('/'));
    let b = format!("{}/graphql", args.write_to.trim_end_matches('/'));
    let ws_url = a
        .replacen("http://", "ws://", 1)
        .replacen("https://", "wss://", 1)
        + "/ws";

    let data = graphql(&http, &a, "{ catalogChangeCursor }", json!({})).await?;
    let cursor = data["catalogChangeCursor"]
        .as_str()
        .ok_or_else(|| format!("no catalogChangeCursor in {data}"))?
        .to_owned();

    // --- open the subscriptions ---
    let started = Instant::now();
    let receipts: Receipts = Arc::default();
    let connecting = Arc::new(Semaphore::new(args.connect_batch.max(1)));
    let (subscribed_tx, mut subscribed) = mpsc::unbounded_channel();
    let (stop_tx, stop) = watch::channel(false);
    let tasks: Vec<_> = (0..n)
        .map(|index| {
            tokio::spawn(subscribe(Subscriber {
                index,
                url: ws_url.clone(),
                cursor: cursor.clone(),
                receipts: receipts.clone(),
                connecting: connecting.clone(),
                subscribed: subscribed_tx.clone(),
                stop: stop.clone(),
            }))
        })
        .collect();
    drop(subscribed_tx);
    let mut refused = Vec::new();
    for _ in 0..n {
        match subscribed.recv().await {
            Some(Ok(())) => {}
            Some(Err(err)) => refused.push(err),
            None => break,
        }
    }
    if let Some(first) = refused.first() {
        println!(
            "subscribers: {} of {n} could not subscribe; first: {first}",
            refused.len()
        );
    }
    println!(
        "subscribers: {} of {n} connections opened and subscribed in {:.1} s",
        n - refused.len(),
        started.elapsed().as_secs_f64()
    );

    // --- warm-up: every subscription runs once it has this change ---
    let run_id = format!(
        "{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_millis())
    );
    let warm_up = create_software(&http, &b, &format!("fanout {run_id} warm-up")).await?;
    let timeout = Duration::from_secs(args.timeout);
    let subscribers = n - refused.len();
    let warmed = wait_for(
        &receipts,
        std::slice::from_ref(&warm_up.software_id),
        subscribers,
        timeout,
    )
    .await;
    let warm_up_complete = warmed == subscribers;
    let warm_up_latencies = deliveries(&receipts, std::slice::from_ref(&warm_up)).latencies;
    println!(
        "warm-up: {warmed} of {subscribers} subscribers received the warm-up change{} \
         (not in the figures: p50 {:.1} ms, max {:.1} ms)",
        if warm_up_complete { "" } else { " (timed out)" },
        ms(percentile(&warm_up_latencies, 0.50)),
        ms(warm_up_latencies.last().copied().unwrap_or_default()),
    );

    // --- the measured changes, through B ---
    let mut sent = Vec::with_capacity(args.changes);
    let mut round_trips = Vec::with_capacity(args.changes);
    let first = tokio::time::Instant::now();
    for i in 0..args.changes {
        // 61 is prime: unless the spread is a multiple of it, `--spread-ms` changes in a row
        // each take a different offset.
        let offset = (i as u64 * 61) % args.spread_ms.max(1);
        let due = Duration::from_millis(i as u64 * args.interval_ms + offset);
        tokio::time::sleep_until(first + due).await;
        let change = create_software(&http, &b, &format!("fanout {run_id} #{i}")).await?;
        round_trips.push(change.at.elapsed());
        sent.push(change);
    }
    let ids: Vec<String> = sent
        .iter()
        .map(|change| change.software_id.clone())
        .collect();
    wait_for(&receipts, &ids, subscribers, timeout).await;

    // --- the figures ---
    let Deliveries {
        received,
        duplicates,
        latencies,
    } = deliveries(&receipts, &sent);
    let expected = n * sent.len();
    let missing = expected - received;
    round_trips.sort_unstable();
    let (p50, p99, max) = (
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
    );
    println!(
        "changes: {} through B, one every {} ms (+0-{} ms); mutation round trip p50 {:.1} ms, max {:.1} ms",
        sent.len(),
        args.interval_ms,
        args.spread_ms.max(1) - 1,
        ms(percentile(&round_trips, 0.50)),
        ms(round_trips.last().copied().unwrap_or_default()),
    );
    println!(
        "deliveries: {expected} expected, {received} received, {missing} missing, {duplicates} repeated"
    );
    println!(
        "latency, mutation sent to change received: p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms"
    );

    // --- idle: subscriptions open, nothing changing ---
    let before_idle = total(&receipts);
    println!("idle: holding {n} subscriptions open for {} s", args.idle);
    tokio::time::sleep(Duration::from_secs_f64(args.idle.max(0.0))).await;
    let during_idle = total(&receipts) - before_idle;
    let _ = stop_tx.send(true);
    let mut lost = Vec::new();
    for task in tasks {
        match tokio::time::timeout(Duration::from_secs(10), task).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(err))) => lost.push(err),
            Ok(Err(err)) => lost.push(format!("the task failed: {err}")),
            Err(_) => lost.push("did not close within 10 s".to_owned()),
        }
    }
    println!(
        "idle: {during_idle} changes received while idle; {} connections lost after subscribing{}",
        lost.len(),
        lost.first()
            .map(|err| format!(" (first: {err})"))
            .unwrap_or_default()
    );
    println!(
        "RESULT subscribers={n} changes={} expected={expected} received={received} missing={missing} \
         duplicates={duplicates} p50_ms={p50:.1} p99_ms={p99:.1} max_ms={max:.1} refused={} \
         lost={} warm_up={warmed}",
        sent.len(),
        refused.len(),
        lost.len(),
    );
    Ok(
        missing == 0
            && duplicates == 0
            && refused.is_empty()
            && lost.is_empty()
            && warm_up_complete,
    )
}

/// One subscriber: connects, subscribes, then records every change until told to stop.
/// Why it could not subscribe goes to `subscribed`; an error after that ends it and is its
/// result.
async fn subscribe(mut me: Subscriber) -> Result<(), String> {
    let connected = connect(&me).await;
    let _ = me
        .subscribed
        .send(connected.as_ref().map(|_| ()).map_err(String::clone));
    let Ok(socket) = connected else {
        return Ok(());
    };
    let (mut sink, mut stream) = socket.split();
    loop {
        let message = tokio::select! {
            message = stream.next() => message,
            _ = me.stop.changed() => {
                let _ = sink.send(Message::Close(None)).await;
                return Ok(());
            }
        };
        let at = Instant::now();
        let text = match message {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Close(frame))) => {
                return Err(format!("subscriber {}: closed by A: {frame:?}", me.index));
            }
            Some(Ok(_)) => continue,
            Some(Err(err)) => return Err(format!("subscriber {}: {}", me.index, chain(&err))),
            None => return Err(format!("subscriber {}: A ended the connection", me.index)),
        };
        let value: Value = serde_json::from_str(text.as_str())
            .map_err(|err| format!("subscriber {}: not JSON ({err}): {text}", me.index))?;
        match value["type"].as_str() {
            Some("ping") => sink
                .send(Message::text(r#"{"type":"pong"}"#))
                .await
                .map_err(|err| format!("subscriber {}: pong: {}", me.index, chain(&err)))?,
            Some("next") => {
                let Some(software_id) =
                    value["payload"]["data"]["catalogChanges"]["softwareId"].as_str()
                else {
                    return Err(format!(
                        "subscriber {}: next without a change: {text}",
                        me.index
                    ));
                };
                me.receipts
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .entry(software_id.to_owned())
                    .or_default()
                    .push(Receipt {
                        subscriber: me.index,
                        at,
                    });
            }
            _ => {
                return Err(format!(
                    "subscriber {}: unexpected message: {text}",
                    me.index
                ));
            }
        }
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens the connection, completes `connection_init` and sends `subscribe`, holding one of
/// the `--connect-batch` turns meanwhile.
async fn connect(me: &Subscriber) -> Result<Socket, String> {
    let fail =
        |what: &str, err: &dyn Error| format!("subscriber {}: {what}: {}", me.index, chain(err));
    let _turn = me
        .connecting
        .acquire()
        .await
        .map_err(|err| fail("no turn to connect", &err))?;
    let mut request = me
        .url
        .as_str()
        .into_client_request()
        .map_err(|err| fail("bad URL", &err))?;
    request.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    // Small buffers: this process holds thousands of sockets too.
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0);
    let (mut socket, _) = tokio_tungstenite::connect_async_with_config(request, Some(config), true)
        .await
        .map_err(|err| fail("WebSocket upgrade", &err))?;
    socket
        .send(Message::text(r#"{"type":"connection_init"}"#))
        .await
        .map_err(|err| fail("connection_init", &err))?;
    let deadline = tokio::time::Instant::now() + ACK_TIMEOUT;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .map_err(|_| {
                format!(
                    "subscriber {}: no connection_ack in {ACK_TIMEOUT:?}",
                    me.index
                )
            })?;
        match message {
            Some(Ok(Message::Text(text))) => {
                let value: Value = serde_json::from_str(text.as_str()).unwrap_or_default();
                match value["type"].as_str() {
                    Some("connection_ack") => break,
                    Some("ping") => socket
                        .send(Message::text(r#"{"type":"pong"}"#))
                        .await
                        .map_err(|err| fail("pong", &err))?,
                    _ => {
                        return Err(format!(
                            "subscriber {}: expected connection_ack, got {text}",
                            me.index
                        ));
                    }
                }
            }
            Some(Ok(Message::Close(frame))) => {
                return Err(format!("subscriber {}: closed by A: {frame:?}", me.index));
            }
            Some(Ok(_)) => {}
            Some(Err(err)) => return Err(fail("waiting for connection_ack", &err)),
            None => return Err(format!("subscriber {}: A ended the connection", me.index)),
        }
    }
    let message = json!({
        "type": "subscribe",
        "id": "1",
        "payload": {"query": SUBSCRIPTION, "variables": {"after": me.cursor}},
    });
    socket
        .send(Message::text(message.to_string()))
        .await
        .map_err(|err| fail("subscribe", &err))?;
    Ok(socket)
}

/// Creates a software through `url` (B): its id, and when the mutation was sent.
async fn create_software(http: &reqwest::Client, url: &str, name: &str) -> Result<Sent, String> {
    let input = json!({"input": {"displayName": name, "maintainerEmail": "bench@example.org"}});
    let (data, at) = post(http, url, CREATE, input).await?;
    let software_id = data["createSoftware"]["id"]
        .as_str()
        .ok_or_else(|| format!("no createSoftware.id in {data}"))?
        .to_owned();
    Ok(Sent { software_id, at })
}

/// Runs a GraphQL request over HTTP: its `data`.
async fn graphql(
    http: &reqwest::Client,
    url: &str,
    query: &str,
    variables: Value,
) -> Result<Value, String> {
    Ok(post(http, url, query, variables).await?.0)
}

/// Posts a GraphQL request: its `data`, and when the request was sent.
async fn post(
    http: &reqwest::Client,
    url: &str,
    query: &str,
    variables: Value,
) -> Result<(Value, Instant), String> {
    let request = http
        .post(url)
        .json(&json!({"query": query, "variables": variables}));
    let at = Instant::now();
    let response = request
        .send()
        .await
        .map_err(|err| format!("POST {url}: {}", chain(&err)))?;
    let status = response.status();
    let body: Value = response.json().await.map_err(|err| {
        format!(
            "POST {url}: the {status} answer is not JSON: {}",
            chain(&err)
        )
    })?;
    match body.get("data") {
        Some(data) if status.is_success() && body.get("errors").is_none() => Ok((data.clone(), at)),
        _ => Err(format!("POST {url}: {status} {body}")),
    }
}

/// What the subscribers received of some changes.
struct Deliveries {
    /// Distinct (subscriber, change) pairs: what is compared with the expected count.
    received: usize,
    /// Changes a subscriber received more than once, which the feed promises never happens.
    duplicates: usize,
    /// From each mutation's sending to each first receipt, sorted: the percentiles.
    latencies: Vec<Duration>,
}

fn deliveries(receipts: &Receipts, sent: &[Sent]) -> Deliveries {
    let receipts = receipts.lock().unwrap_or_else(PoisonError::into_inner);
    let mut result = Deliveries {
        received: 0,
        duplicates: 0,
        latencies: Vec::new(),
    };
    for change in sent {
        let mut seen = HashSet::new();
        for receipt in receipts.get(&change.software_id).into_iter().flatten() {
            if seen.insert(receipt.subscriber) {
                result.received += 1;
                result
                    .latencies
                    .push(receipt.at.saturating_duration_since(change.at));
            } else {
                result.duplicates += 1;
            }
        }
    }
    result.latencies.sort_unstable();
    result
}

/// Waits until each of `ids` has reached `subscribers` subscribers, or `timeout`: how many
/// distinct subscribers have all of them.
async fn wait_for(
    receipts: &Receipts,
    ids: &[String],
    subscribers: usize,
    timeout: Duration,
) -> usize {
    let deadline = Instant::now() + timeout;
    // A cheap test while waiting, as the subscribers record under the same lock.
    let arrived = |receipts: &HashMap<String, Vec<Receipt>>| {
        ids.iter()
            .all(|id| receipts.get(id).map_or(0, Vec::len) >= subscribers)
    };
    while Instant::now() < deadline
        && !arrived(&receipts.lock().unwrap_or_else(PoisonError::into_inner))
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let receipts = receipts.lock().unwrap_or_else(PoisonError::into_inner);
    let mut per_subscriber = HashMap::<usize, usize>::new();
    for id in ids {
        let mut seen = HashSet::new();
        for receipt in receipts.get(id).into_iter().flatten() {
            if seen.insert(receipt.subscriber) {
                *per_subscriber.entry(receipt.subscriber).or_default() += 1;
            }
        }
    }
    per_subscriber
        .values()
        .filter(|&&count| count == ids.len())
        .count()
}

/// How many changes the subscribers have received in all.
fn total(receipts: &Receipts) -> usize {
    receipts
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .values()
        .map(Vec::len)
        .sum()
}

/// The nearest-rank percentile `p` (0 to 1) of `sorted`; zero when it is empty.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.clamp(1, sorted.len().max(1)) - 1)
        .copied()
        .unwrap_or_default()
}

/// An error and its causes, on one line.
fn chain(err: &dyn Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
