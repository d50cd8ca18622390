// save: alice
// expect: completed
// Alice runs without naming a session: her connection's implicit session.
globalThis.secret = "alice only";
console.log("private line");
secret
// ---
// as: bob
// session: {{alice.session}}
// expect: not found
secret
// ---
// as: bob
// tool: get_execution
// expect: not found
{"execution_id": "{{alice.execution_id}}"}
// ---
// as: bob
// tool: get_execution_output
// expect: not found
{"execution_id": "{{alice.execution_id}}"}
// ---
// as: bob
// tool: cancel_execution
// expect: not found
{"execution_id": "{{alice.execution_id}}"}
// ---
// as: bob
// args: {"heap": "{{alice.heap}}"}
// expect: not found
secret
// ---
// as: bob
// tool: set_heap_tags
// expect: not found
{"heap": "{{alice.heap}}", "tags": {"stolen": "yes"}}
// ---
// as: bob
// tool: list_sessions
// lacks: {{alice.session}}
{}
// ---
// as: bob
// tool: list_executions
// lacks: {{alice.execution_id}}
{}
// ---
// tool: get_execution_output
// contains: private line
{"execution_id": "{{alice.execution_id}}"}
