// server: stateless
// args: {"heap_memory_max_mb": 16}
// expect: failed
// error: memory limit exceeded
const a = [];
while (true) a.push(new Array(1e5).fill(a.length));
