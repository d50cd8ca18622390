//! One MCP connection (a Streamable HTTP session or a legacy SSE stream)
//! and what ends with it.
//!
//! Each connection gets a random id of its own, unrelated to the
//! transport's session id (which is a capability: whoever knows it can post
//! into the session), so nothing derived from it leaks the transport's.
//! It names the connection's implicit session and, without auth, its owner.
//! When the connection ends (the rmcp handler holding it is dropped), what
//! it made is scheduled to end `--connection-ttl-secs` later.

use std::collections::HashSet;

use mcp_v8_runtime::{Owner, SessionKey, SessionName};
use parking_lot::Mutex;

use super::Service;

pub struct Connection {
    id: String,
    service: Service,
    /// The token principals seen on this connection (auth on): their
    /// implicit sessions end with it.
    principals: Mutex<HashSet<String>>,
}

impl Connection {
    pub fn new(service: Service) -> Self {
        Self { id: uuid::Uuid::new_v4().simple().to_string(), service, principals: Mutex::default() }
    }

    /// The owner of what this connection makes without auth.
    pub fn owner(&self) -> Owner {
        Owner::Connection(self.id.clone())
    }

    pub fn implicit_session(&self) -> SessionName {
        SessionName::implicit(&self.id)
    }

    /// Notes a token principal that used this connection.
    pub fn seen(&self, principal: &str) {
        let mut principals = self.principals.lock();
        if !principals.contains(principal) {
            principals.insert(principal.to_owned());
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if !self.service.is_stateful() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let engine = self.service.engine().clone();
        let ttl = engine.config().connection_ttl;
        let owner = self.owner();
        let name = self.implicit_session();
        let principals: Vec<String> = self.principals.lock().drain().collect();
        runtime.spawn(async move {
            let result = if principals.is_empty() {
                engine.expire_owner(&owner, ttl).await
            } else {
                let mut result = Ok(());
                for principal in principals {
                    let session = SessionKey { owner: Owner::Subject(principal), name: name.clone() };
                    result = result.and(engine.expire_session(&session, ttl).await);
                }
                result
            };
            if let Err(error) = result {
                tracing::warn!(%error, "cannot schedule the end of a closed connection's data");
            }
        });
    }
}
