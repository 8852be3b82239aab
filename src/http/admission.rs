//! Admission: at most a number of GraphQL requests execute at once, at most a number wait
//! for their turn (first come, first served), and the rest are answered 503 at once.
//!
//! Written out instead of tower's `Buffer` + `ConcurrencyLimit` + `LoadShed`: the buffer
//! hands every request to a worker task and back, a task switch on every request that
//! measured as lost throughput in `bench/`. A semaphore gives the same bounds in place.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::Semaphore;

use super::busy;

/// The turns to execute, and the places to wait for one.
#[derive(Clone)]
pub struct Admission {
    running: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
}

impl Admission {
    pub fn new(max_running: usize, max_waiting: usize) -> Self {
        Self {
            running: Arc::new(Semaphore::new(max_running)),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting,
        }
    }
}

/// A place in the queue, given back when the request gets its turn or goes away.
struct Place<'a>(&'a AtomicUsize);

impl<'a> Place<'a> {
    fn take(admission: &'a Admission) -> Option<Self> {
        let before = admission.waiting.fetch_add(1, Ordering::SeqCst);
        if before >= admission.max_waiting {
            admission.waiting.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Self(&admission.waiting))
    }
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `request` when it has a turn; 503 with `Retry-After` when no place is left.
pub async fn admit(State(admission): State<Admission>, request: Request, next: Next) -> Response {
    let turn = match admission.running.clone().try_acquire_owned() {
        Ok(turn) => turn,
        Err(_) => {
            let Some(place) = Place::take(&admission) else {
                return busy();
            };
            let turn = admission.running.clone().acquire_owned().await;
            drop(place);
            match turn {
                Ok(turn) => turn,
                Err(_) => return busy(),
            }
        }
    };
    let response = next.run(request).await;
    drop(turn);
    response
}
