// server: stateless
// args: {"execution_timeout_secs": 1}
// expect: timed_out
// A microtask that schedules itself for ever: the event loop never gets a turn,
// the time limit still stops it.
const again = () => queueMicrotask(again);
again();
await new Promise(() => setTimeout(() => {}, 1e9));
// ---
// args: {"execution_timeout_secs": 1, "heap_memory_max_mb": 64}
// expect: failed|timed_out
// A promise chain that grows for ever: each link holds the next. Whichever
// comes first, the memory limit or the time limit, stops it.
const chain = () => Promise.resolve().then(chain);
chain();
await new Promise(() => setTimeout(() => {}, 1e9));
