//! Admission of runs: a run is accepted if its principal has fewer than
//! `--max-queued-per-principal` runs not finished, and starts once it
//! holds, in this order, a permit of its principal
//! (`--max-concurrent-per-principal`), a permit of the process
//! (`--max-concurrent-executions`, one per V8 thread) and room in the
//! process memory budget (`--memory-max`).
//!
//! **Invariants:**
//! - A run of a session takes its session's lock before it asks for
//!   anything here (see `sessions.rs`): runs queued behind a busy session
//!   hold no permit, so a burst on one session cannot block other sessions.
//! - A principal never holds more process permits than its own cap, so one
//!   principal's burst leaves V8 threads for the others.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::RuntimeError;
use crate::memory::{MemoryBudget, Reservation};
use crate::owner::Owner;

pub(super) struct Scheduler {
    process: Arc<Semaphore>,
    per_principal: usize,
    queued_per_principal: usize,
    principals: Mutex<HashMap<Owner, Principal>>,
    memory: MemoryBudget,
}

/// A principal's permits: to run, and to have runs not finished.
#[derive(Clone)]
struct Principal {
    running: Arc<Semaphore>,
    queued: Arc<Semaphore>,
}

/// A run's place in its principal's queue, held until it finishes.
pub(super) struct Ticket(#[allow(dead_code)] OwnedSemaphorePermit);

/// What a running run holds; dropping it lets the next one in.
pub(super) struct Admission {
    _principal: OwnedSemaphorePermit,
    _process: OwnedSemaphorePermit,
    _memory: Reservation,
}

impl Scheduler {
    pub fn new(process: usize, per_principal: usize, queued_per_principal: usize, memory_bytes: usize) -> Self {
        Self {
            process: Arc::new(Semaphore::new(process.max(1))),
            per_principal: per_principal.clamp(1, process.max(1)),
            queued_per_principal: queued_per_principal.max(1),
            principals: Mutex::default(),
            memory: MemoryBudget::new(memory_bytes),
        }
    }

    /// Takes a place in the principal's queue, or refuses the run.
    pub fn enqueue(&self, principal: &Owner) -> Result<Ticket, RuntimeError> {
        self.principal(principal).queued.try_acquire_owned().map(Ticket).map_err(|_| {
            RuntimeError::Limit(format!(
                "{} of your runs are not finished yet (the most this server takes); wait for some to finish",
                self.queued_per_principal
            ))
        })
    }

    /// Refuses at once a run that could never fit the memory budget.
    pub fn check(&self, budget: usize) -> Result<(), RuntimeError> {
        self.memory.check(budget)
    }

    /// Waits until the run may start.
    pub async fn admit(&self, principal: &Owner, budget: usize) -> Result<Admission, RuntimeError> {
        let closed = |_| RuntimeError::Unavailable("the server is shutting down".into());
        let own = self.principal(principal).running;
        let principal = own.acquire_owned().await.map_err(closed)?;
        let process = self.process.clone().acquire_owned().await.map_err(closed)?;
        let memory = self.memory.reserve(budget).await?;
        Ok(Admission { _principal: principal, _process: process, _memory: memory })
    }

    fn principal(&self, owner: &Owner) -> Principal {
        self.principals
            .lock()
            .entry(owner.clone())
            .or_insert_with(|| Principal {
                running: Arc::new(Semaphore::new(self.per_principal)),
                queued: Arc::new(Semaphore::new(self.queued_per_principal)),
            })
            .clone()
    }

    /// Forgets principals with nothing running or waiting.
    pub fn prune(&self) {
        let (running, queued) = (self.per_principal, self.queued_per_principal);
        self.principals.lock().retain(|_, p| {
            Arc::strong_count(&p.running) > 1 || p.running.available_permits() < running || p.queued.available_permits() < queued
        });
    }

    /// Stops admitting: waiting runs fail as the engine shuts down.
    pub fn close(&self) {
        self.process.close();
    }

    pub fn memory_total(&self) -> usize {
        self.memory.total()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_principal_cannot_take_every_permit() {
        let scheduler = Scheduler::new(4, 3, 100, 1 << 30);
        let busy = Owner::Subject("busy".into());
        let mut held = Vec::new();
        for _ in 0..3 {
            held.push(scheduler.admit(&busy, 8 << 20).await.unwrap());
        }
        let fourth = tokio::time::timeout(std::time::Duration::from_millis(50), scheduler.admit(&busy, 8 << 20));
        assert!(fourth.await.is_err(), "the busy principal waits for its own permit");
        let other = scheduler.admit(&Owner::Subject("other".into()), 8 << 20).await;
        assert!(other.is_ok(), "another principal still gets a V8 thread");
        drop(held);
        drop(other);
        scheduler.prune();
        assert!(scheduler.principals.lock().is_empty());

        let queue = Scheduler::new(4, 3, 2, 1 << 30);
        let tickets = [queue.enqueue(&busy).unwrap(), queue.enqueue(&busy).unwrap()];
        assert!(matches!(queue.enqueue(&busy), Err(RuntimeError::Limit(_))), "a third queued run is refused");
        drop(tickets);
        assert!(queue.enqueue(&busy).is_ok());
    }
}
