//! Admission: at most a number of GraphQL requests execute at once, at most a number wait
//! for their turn (first come, first served), and the rest are refused at once: 503 over
//! HTTP, a `SERVICE_UNAVAILABLE` error message over WebSocket.
//!
//! Written out instead of tower's `Buffer` + `ConcurrencyLimit` + `LoadShed`: the buffer
//! hands every request to a worker task and back, a task switch on every request that
//! measured as lost throughput in `bench/`. A semaphore gives the same bounds in place.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::response::Response;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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

impl Admission {
    /// A turn to execute, once one is free: held until the answer is ready. `Err` is the
    /// answer when no place is left to wait: 503 with `Retry-After`.
    ///
    /// Taken by the GraphQL handlers themselves rather than by a middleware layer: a layer
    /// costs every request a clone of the services behind it and a boxed future.
    pub async fn turn(&self) -> Result<OwnedSemaphorePermit, Response> {
        self.wait().await.ok_or_else(busy)
    }

    /// A turn to execute, once one is free; `None` when no place is left to wait.
    pub async fn wait(&self) -> Option<OwnedSemaphorePermit> {
        if let Ok(turn) = self.running.clone().try_acquire_owned() {
            return Some(turn);
        }
        let place = Place::take(self)?;
        let turn = self.running.clone().acquire_owned().await;
        drop(place);
        turn.ok()
    }
}
