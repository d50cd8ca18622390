//! What callers read and change besides runs: execution records,
//! cancellation and heap tags. Every operation takes the [`Caller`] and sees
//! only what it may (`owner.rs`); anything else is "not found".

use std::sync::Arc;

use super::execution::{Execution, ExecutionInfo, ExecutionStatus, Outcome};
use super::Engine;
use crate::error::RuntimeError;
use crate::ids::{ExecutionId, HeapHash};
use crate::isolate::StopReason;
use crate::meta::Tags;
use crate::owner::{Caller, Owner};

/// What `cancel` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    /// It was queued or running; it is stopping (or stopped) now.
    Cancelled(ExecutionStatus),
    /// It had already finished, with this status.
    NotRunning(ExecutionStatus),
}

fn no_execution(id: &ExecutionId) -> RuntimeError {
    RuntimeError::NotFound(format!("execution {id} not found (finished executions are kept for a while, then dropped)"))
}

impl Engine {
    /// An execution record the caller may see.
    pub fn get(&self, caller: &Caller, id: &ExecutionId) -> Result<Arc<Execution>, RuntimeError> {
        self.registry.get(caller, id).ok_or_else(|| no_execution(id))
    }

    /// Recent executions the caller may see, newest first, optionally of
    /// one status and one session (by name, as the caller means it).
    pub fn list(
        &self,
        caller: &Caller,
        status: Option<ExecutionStatus>,
        session: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ExecutionInfo>, RuntimeError> {
        let session = session.map(|name| caller.session(name)).transpose()?;
        Ok(self.registry.list(caller, status, session.as_ref(), limit).iter().map(|e| e.info()).collect())
    }

    /// Cancels a queued or running execution.
    pub fn cancel(&self, caller: &Caller, id: &ExecutionId) -> Result<CancelOutcome, RuntimeError> {
        let execution = self.get(caller, id)?;
        let status = execution.status();
        if status.is_final() {
            return Ok(CancelOutcome::NotRunning(status));
        }
        execution.stopper.stop(StopReason::Cancelled);
        if execution.status() == ExecutionStatus::Queued {
            execution.finish(ExecutionStatus::Cancelled, Outcome {
                error: Some(crate::error::JsErrorInfo::plain("AbortError", "execution cancelled".into())),
                ..Default::default()
            });
        }
        Ok(CancelOutcome::Cancelled(execution.status()))
    }

    /// The owner whose claim on `heap` the caller uses: its tenant's if it
    /// has one, else its principal's. Not found when it has neither.
    pub(super) fn visible_owner(&self, caller: &Caller, heap: &HeapHash) -> Result<Owner, RuntimeError> {
        let owners = self.meta()?.heap_owners(heap)?;
        [&caller.tenant, &caller.principal]
            .into_iter()
            .find(|o| owners.contains(o))
            .cloned()
            .ok_or_else(|| RuntimeError::heap_not_found(heap))
    }

    pub fn heap_tags(&self, caller: &Caller, heap: &HeapHash) -> Result<Tags, RuntimeError> {
        let owner = self.visible_owner(caller, heap)?;
        Ok(self.meta()?.tags(&owner, heap)?.unwrap_or_default())
    }

    /// Adds or overwrites tags; returns all of the heap's tags.
    pub async fn set_heap_tags(&self, caller: &Caller, heap: HeapHash, tags: Tags) -> Result<Tags, RuntimeError> {
        let owner = self.visible_owner(caller, &heap)?;
        let _guard = self.heaps.read().await;
        self.meta()?.set_tags(owner.clone(), heap.clone(), tags).await?;
        Ok(self.meta()?.tags(&owner, &heap)?.unwrap_or_default())
    }

    /// Deletes some (`keys`) or all tags; returns those left.
    pub async fn delete_heap_tags(&self, caller: &Caller, heap: HeapHash, keys: Option<Vec<String>>) -> Result<Tags, RuntimeError> {
        let owner = self.visible_owner(caller, &heap)?;
        self.meta()?.delete_tags(owner.clone(), heap.clone(), keys).await?;
        Ok(self.meta()?.tags(&owner, &heap)?.unwrap_or_default())
    }

    /// The caller's heaps whose tags contain every pair of `filter`.
    pub fn query_heaps(&self, caller: &Caller, filter: &Tags) -> Result<Vec<(HeapHash, Tags)>, RuntimeError> {
        self.meta()?.query_tags(&[&caller.tenant, &caller.principal], filter)
    }
}
