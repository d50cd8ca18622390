//! What ends: connections' implicit sessions and ephemeral owners some time
//! after their connection, and heaps nothing refers to any more.
//!
//! The sweep runs every `sweep_interval`:
//! 1. Expired sessions and owners are dropped (a session in use is left for
//!    the next pass).
//! 2. Heaps are deleted when no session head, session log or tag names
//!    them, and either no owner claims them any more (their sessions were
//!    dropped) or they are older than `heap_retention` (a heap a caller was
//!    given by a run outside any session stays loadable that long).
//!
//! **Invariant:** step 2 runs under the exclusive heaps lock, and every
//! heap is written under the shared lock together with what refers to it,
//! so the sweep never deletes a heap that is being referred to. A heap
//! written less than [`MIN_AGE`] ago is not deleted either.

use std::sync::Weak;
use std::time::{Duration, SystemTime};

use super::Engine;
use crate::error::RuntimeError;
use crate::meta::{Expiry, now_ms};
use crate::owner::{Owner, SessionKey};

/// The youngest heap the sweep may delete (unless `heap_retention` is
/// shorter).
const MIN_AGE: Duration = Duration::from_secs(5);

/// What one sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub sessions_dropped: usize,
    pub owners_dropped: usize,
    pub heaps_deleted: usize,
    pub heaps_kept: usize,
}

impl Engine {
    /// Schedules the end of what a connection's owner has (without auth,
    /// everything the connection made) `after` from now.
    pub async fn expire_owner(&self, owner: &Owner, after: Duration) -> Result<(), RuntimeError> {
        self.meta()?.expire(Expiry::Owner(owner.clone()), deadline(after)).await
    }

    /// Schedules the end of one session (a connection's implicit session).
    pub async fn expire_session(&self, session: &SessionKey, after: Duration) -> Result<(), RuntimeError> {
        self.meta()?.expire(Expiry::Session(session.clone()), deadline(after)).await
    }

    /// After a restart no connection is alive: what ephemeral data has no
    /// end scheduled gets one, `connection_ttl` from now.
    async fn adopt_orphans(&self) -> Result<(), RuntimeError> {
        let meta = self.meta()?;
        let scheduled: Vec<Expiry> = meta.expiring()?.into_iter().map(|(what, _)| what).collect();
        for what in meta.ephemeral()? {
            if !scheduled.contains(&what) {
                meta.expire(what, deadline(self.config.connection_ttl)).await?;
            }
        }
        Ok(())
    }

    /// One pass of the sweep (also run by tests and benchmarks).
    pub async fn sweep(&self) -> Result<SweepReport, RuntimeError> {
        let mut report = SweepReport::default();
        let now = now_ms();
        for (what, at) in self.meta()?.expiring()? {
            if at > now {
                continue;
            }
            match what {
                Expiry::Session(session) => {
                    if self.drop_session(&session).await? {
                        report.sessions_dropped += 1;
                    }
                }
                Expiry::Owner(owner) => {
                    if self.drop_owner(&owner).await? {
                        report.owners_dropped += 1;
                    }
                }
            }
        }
        self.collect_heaps(&mut report).await?;
        self.scheduler.prune();
        Ok(report)
    }

    /// Drops an owner's sessions and everything else it has. Skipped (false)
    /// while one of its sessions is in use.
    async fn drop_owner(&self, owner: &Owner) -> Result<bool, RuntimeError> {
        for (session, _) in self.meta()?.sessions(&[owner])? {
            if !self.drop_session(&session).await? {
                return Ok(false);
            }
        }
        for (session, _) in self.sessions.all() {
            if session.owner == *owner && !self.drop_session(&session).await? {
                return Ok(false);
            }
        }
        self.meta()?.drop_owner(owner.clone()).await?;
        self.registry.remove_owner(owner);
        Ok(true)
    }

    async fn collect_heaps(&self, report: &mut SweepReport) -> Result<(), RuntimeError> {
        let _guard = self.heaps.write().await;
        let meta = self.meta()?;
        let referenced = meta.referenced_heaps()?;
        let owned = meta.owned_heaps()?;
        let store = self.store()?;
        let now = SystemTime::now();
        let min_age = MIN_AGE.min(self.config.heap_retention);
        for (hash, written) in store.list().await? {
            let age = now.duration_since(written).unwrap_or_default();
            let keep = referenced.contains(&hash)
                || age < min_age
                || (owned.contains(&hash) && age < self.config.heap_retention);
            if keep {
                report.heaps_kept += 1;
                continue;
            }
            store.delete(&hash).await?;
            meta.forget_heap(hash).await?;
            report.heaps_deleted += 1;
        }
        Ok(())
    }
}

fn deadline(after: Duration) -> u64 {
    now_ms().saturating_add(after.as_millis() as u64)
}

/// Adopts orphans once, then sweeps every `sweep_interval` while the engine
/// lives.
pub(super) fn spawn_sweeper(engine: Weak<Engine>) {
    tokio::spawn(async move {
        if let Some(engine) = engine.upgrade()
            && let Err(error) = engine.adopt_orphans().await
        {
            tracing::error!(%error, "cannot schedule the end of sessions left by a previous run");
        }
        let interval = match engine.upgrade() {
            Some(engine) => engine.config.sweep_interval,
            None => return,
        };
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tick.tick().await;
            let Some(engine) = engine.upgrade() else { return };
            match engine.sweep().await {
                Ok(report) if report != SweepReport::default() => {
                    tracing::debug!(?report, "sweep");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "sweep failed; trying again next time"),
            }
        }
    });
}
