// What a session's heap must not hold, kept track of weakly. Runs after
// bootstrap.js and before web.js, in the base snapshot every isolate
// starts from.
//
// - FinalizationRegistry on top of WeakRef. V8 aborts the process when it
//   snapshots a heap holding a native FinalizationRegistry with pending
//   cleanups (and a collection during the snapshot can make any registry
//   with cells pending). So no native registry is ever made: user code gets
//   this implementation as the global `FinalizationRegistry`, and Deno's web
//   scripts get a frozen copy as `primordials.SafeFinalizationRegistry`
//   (web.js loads them with it). Cleanups run at the end of a run
//   (`runFinalizers`), for targets the garbage collector has cleared.
// - The tracker: objects a heap cannot keep (Intl objects, Blobs, unread
//   fetch responses, Deno's native objects: see guards.js and web.js) are
//   registered with `track`; before a session's heap is kept, Rust collects
//   garbage and asks `snapshotBlocker()` whether any is still alive.
// WeakRefs snapshot fine.
//
// Invariant: the two registry classes share nothing user code can reach;
// the internal one is frozen, so user code cannot hook Deno's cleanups.
"use strict";

((globalThis) => {
  const { op_mcpv8_registry_made } = globalThis.Deno.core.ops;
  const {
    ArrayPrototypePush,
    FunctionPrototypeCall,
    ObjectDefineProperty,
    ObjectFreeze,
    ObjectGetOwnPropertyDescriptor,
    ObjectIs,
    SymbolKeyFor,
    SymbolToStringTag,
    TypeError,
    WeakRef,
    WeakRefPrototypeDeref,
  } = globalThis.__bootstrap.primordials;
  const internals = globalThis.__bootstrap.mcpv8;

  /** Every registry made, weakly, with the functions that reach its cells. */
  const registries = [];

  function canBeHeldWeakly(value) {
    return (value !== null && (typeof value === "object" || typeof value === "function")) ||
      (typeof value === "symbol" && SymbolKeyFor(value) === undefined);
  }

  /** A fresh FinalizationRegistry class (two are made: see above). */
  function defineRegistry() {
    class FinalizationRegistry {
      #cleanup;
      #cells = [];
      #listed = false;
      constructor(cleanupCallback) {
        if (typeof cleanupCallback !== "function") {
          throw new TypeError("FinalizationRegistry: cleanup must be callable");
        }
        this.#cleanup = cleanupCallback;
      }
      register(target, heldValue, unregisterToken = undefined) {
        if (!canBeHeldWeakly(target)) {
          throw new TypeError("FinalizationRegistry.prototype.register: invalid target");
        }
        if (ObjectIs(target, heldValue)) {
          throw new TypeError("FinalizationRegistry.prototype.register: target and holdings must not be the same");
        }
        if (unregisterToken !== undefined && !canBeHeldWeakly(unregisterToken)) {
          throw new TypeError("FinalizationRegistry.prototype.register: invalid unregister token");
        }
        // Listed on first use, not when made: Deno's registries are made
        // while the base snapshot is, where a WeakRef cannot be kept.
        if (!this.#listed) {
          this.#listed = true;
          ArrayPrototypePush(registries, { ref: new WeakRef(this), sweep, size });
        }
        // The run's end looks for cleanups once some registry has cells.
        if (this.#cells.length === 0) op_mcpv8_registry_made();
        ArrayPrototypePush(this.#cells, {
          target: new WeakRef(target),
          held: heldValue,
          token: unregisterToken === undefined ? undefined : new WeakRef(unregisterToken),
        });
      }
      unregister(unregisterToken) {
        if (!canBeHeldWeakly(unregisterToken)) {
          throw new TypeError("FinalizationRegistry.prototype.unregister: invalid unregister token");
        }
        const cells = this.#cells;
        let kept = 0;
        for (let i = 0; i < cells.length; i++) {
          const cell = cells[i];
          if (cell.token !== undefined && WeakRefPrototypeDeref(cell.token) === unregisterToken) continue;
          cells[kept++] = cell;
        }
        const removed = kept !== cells.length;
        cells.length = kept;
        return removed;
      }
      static sweep(registry) {
        const cells = registry.#cells;
        const dead = [];
        let kept = 0;
        for (let i = 0; i < cells.length; i++) {
          const cell = cells[i];
          if (WeakRefPrototypeDeref(cell.target) === undefined) ArrayPrototypePush(dead, cell.held);
          else cells[kept++] = cell;
        }
        cells.length = kept;
        for (let i = 0; i < dead.length; i++) {
          try {
            FunctionPrototypeCall(registry.#cleanup, undefined, dead[i]);
          } catch (error) {
            globalThis.console.error("Uncaught (in FinalizationRegistry cleanup)", error);
          }
        }
      }
      static size(registry) {
        return registry.#cells.length;
      }
    }
    ObjectDefineProperty(FinalizationRegistry.prototype, SymbolToStringTag, {
      value: "FinalizationRegistry",
      configurable: true,
    });
    const { sweep, size } = FinalizationRegistry;
    delete FinalizationRegistry.sweep;
    delete FinalizationRegistry.size;
    return FinalizationRegistry;
  }

  const Internal = defineRegistry();
  ObjectFreeze(Internal.prototype);
  ObjectFreeze(Internal);

  const desc = ObjectGetOwnPropertyDescriptor(globalThis, "FinalizationRegistry");
  ObjectDefineProperty(globalThis, "FinalizationRegistry", {
    value: defineRegistry(),
    writable: desc ? desc.writable : true,
    enumerable: desc ? desc.enumerable : false,
    configurable: desc ? desc.configurable : true,
  });

  /** Calls the cleanups of registered targets the collector has cleared. */
  function runFinalizers() {
    let kept = 0;
    for (let i = 0; i < registries.length; i++) {
      const entry = registries[i];
      const registry = WeakRefPrototypeDeref(entry.ref);
      if (registry === undefined) continue;
      registries[kept++] = entry;
      entry.sweep(registry);
    }
    registries.length = kept;
  }

  /** True when some registry has cells to look at. */
  function hasFinalizers() {
    for (let i = 0; i < registries.length; i++) {
      const registry = WeakRefPrototypeDeref(registries[i].ref);
      if (registry !== undefined && registries[i].size(registry) > 0) return true;
    }
    return false;
  }

  // ------------------------------------------------------------ the tracker
  const tracked = [];
  let pruneAt = 1024;

  /** Registers `made`, which a heap cannot keep while it is alive (and
   *  while `blocks(made)`, when given); `name` and `advice` go into the
   *  error of a run that keeps one. */
  function track(made, name, advice, blocks = undefined) {
    ArrayPrototypePush(tracked, { ref: new WeakRef(made), name, advice, blocks });
    if (tracked.length >= pruneAt) {
      // A loop making such objects: drop the entries of collected ones.
      snapshotBlocker();
      pruneAt = tracked.length * 2 + 1024;
    }
  }

  /** The first live object a heap cannot keep, with what to do instead
   *  ("name: advice"), or undefined. */
  function snapshotBlocker() {
    let blocker = failedCheck();
    let kept = 0;
    for (let i = 0; i < tracked.length; i++) {
      const entry = tracked[i];
      const made = WeakRefPrototypeDeref(entry.ref);
      if (made === undefined) continue;
      tracked[kept++] = entry;
      if (blocker === undefined && (entry.blocks === undefined || entry.blocks(made))) {
        blocker = `${entry.name}: ${entry.advice}`;
      }
    }
    tracked.length = kept;
    return blocker;
  }

  // Checks registered while the base snapshot is made (a WeakRef made then
  // cannot be kept): each returns "name: advice" when its state must not be
  // kept, else undefined.
  const checks = [];

  function addSnapshotCheck(check) {
    ArrayPrototypePush(checks, check);
  }

  function failedCheck() {
    for (let i = 0; i < checks.length; i++) {
      const why = checks[i]();
      if (why !== undefined) return why;
    }
    return undefined;
  }

  function hasTracked() {
    return tracked.length > 0 || failedCheck() !== undefined;
  }

  internals.track = track;
  internals.addSnapshotCheck = addSnapshotCheck;
  internals.snapshotBlocker = snapshotBlocker;
  internals.hasTracked = hasTracked;
  internals.InternalFinalizationRegistry = Internal;
  internals.runFinalizers = runFinalizers;
  internals.hasFinalizers = hasFinalizers;
})(globalThis);
