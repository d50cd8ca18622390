// server: stateless
// args: {"execution_timeout_secs": 5}
// error: exceeded
// Timers hold memory too: a run that makes them without end is stopped.
for (;;) setTimeout(() => {}, 1e9);
