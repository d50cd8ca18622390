//! What the gateway forwards to its own clients besides `mcp.callTool`
//! (`--expose-upstream-tools`): tool calls with their progress and log
//! notifications, and the upstreams' resources, resource templates and
//! prompts under namespaced names.
//!
//! **Namespaces:** a tool or prompt `x` of server `s` is `s__x`; a resource
//! `u` of server `s` is `upstream://s/u` (server names hold no `/`, so the
//! first `/` after the server ends it), and so are templates.
//!
//! **Invariants:**
//! - A progress notification reaches only the caller whose call asked for
//!   it: each forwarded call has its own token upstream, mapped back to the
//!   caller's token; the mapping goes when the call ends.
//! - A log message names no request, so it goes on only when it can be
//!   about one caller's call alone: when exactly one request is in flight
//!   to that server and it is a forwarded call; otherwise it is dropped
//!   (logged at debug). One caller never gets a message about another's.
//! - Notices are sent without waiting: a caller that does not read them
//!   loses some, never slows the upstream connection.
//! - The progress a caller sees increases (rmcp may hand notifications over
//!   out of order; one that would go back is dropped). Log messages keep no
//!   order.
//!
//! Logging is deprecated from the protocol after 2025-11-25 (SEP-2577), but
//! clients and servers on the versions before it use it: it is forwarded.
#![allow(deprecated)]

use std::collections::HashMap;

use rmcp::RoleClient;
use rmcp::model::{
    GetPromptRequestParams, GetPromptResult, LoggingMessageNotificationParam, ProgressNotificationParam, ProgressToken,
    Prompt, ReadResourceRequestParams, ReadResourceResult, Resource, ResourceContents, ResourceTemplate,
};
use rmcp::service::Peer;
use tokio::sync::mpsc;

use crate::Upstreams;

/// The scheme of namespaced resource URIs.
pub const RESOURCE_SCHEME: &str = "upstream://";
/// How many notices wait for a slow caller before more are dropped.
pub const NOTICES: usize = 256;

/// A notification an upstream sent about a forwarded call.
#[derive(Debug, Clone)]
pub enum Notice {
    /// Progress, with the progress token already the caller's.
    Progress(ProgressNotificationParam),
    /// A log message, its logger prefixed with the server's name.
    Log(LoggingMessageNotificationParam),
}

/// Where a forwarded call's notices go, and the progress token its caller gave.
pub struct Relay {
    pub notices: mpsc::Sender<Notice>,
    pub progress_token: Option<ProgressToken>,
}

/// The forwarded calls in flight to one server, by the progress token
/// rmcp gave each (it numbers every request's token itself).
#[derive(Default)]
pub(crate) struct Relays {
    calls: parking_lot::Mutex<HashMap<ProgressToken, Forwarded>>,
    /// Every request in flight to the server (forwarded or not).
    in_flight: std::sync::atomic::AtomicUsize,
}

/// Counts a request in flight to the server while it lives.
pub(crate) struct InFlight<'a>(&'a Relays);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

struct Forwarded {
    notices: mpsc::Sender<Notice>,
    /// The caller's progress token, if it asked for progress.
    token: Option<ProgressToken>,
    /// The progress last sent on.
    progress: f64,
}

/// Removes a call's relay when the call ends (or is dropped).
pub(crate) struct Registered<'a> {
    relays: &'a Relays,
    token: ProgressToken,
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        self.relays.calls.lock().remove(&self.token);
    }
}

impl Relays {
    pub(crate) fn register(&self, token: ProgressToken, relay: Relay) -> Registered<'_> {
        let forwarded = Forwarded { notices: relay.notices, token: relay.progress_token, progress: f64::NEG_INFINITY };
        self.calls.lock().insert(token.clone(), forwarded);
        Registered { relays: self, token }
    }

    /// Sends progress on to the caller. rmcp hands each notification to a
    /// task of its own, so they may come out of order: progress that does
    /// not increase is dropped (the protocol asks that it increase).
    pub(crate) fn progress(&self, mut params: ProgressNotificationParam) {
        let mut calls = self.calls.lock();
        let Some(call) = calls.get_mut(&params.progress_token) else { return };
        let Some(token) = &call.token else { return };
        if params.progress > call.progress {
            call.progress = params.progress;
            params.progress_token = token.clone();
            let _ = call.notices.try_send(Notice::Progress(params));
        }
    }

    pub(crate) fn count(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        InFlight(self)
    }

    pub(crate) fn log(&self, server: &str, mut params: LoggingMessageNotificationParam) {
        let calls = self.calls.lock();
        let alone = calls.len() == 1 && self.in_flight.load(std::sync::atomic::Ordering::SeqCst) == 1;
        let Some(call) = calls.values().next().filter(|_| alone) else {
            tracing::debug!(
                server,
                in_flight = calls.len(),
                "an upstream log message not sent on: it may be about any call"
            );
            return;
        };
        params.logger = Some(match params.logger.take() {
            Some(logger) => format!("{server}/{logger}"),
            None => server.to_owned(),
        });
        let _ = call.notices.try_send(Notice::Log(params));
    }
}

/// Sends `notifications/cancelled` for a request whose answer is no longer
/// awaited (the caller gave up), unless disarmed; as rmcp's own calls do.
pub(crate) struct CancelOnDrop {
    pub peer: Peer<RoleClient>,
    pub id: Option<rmcp::model::RequestId>,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        let Some(id) = self.id.take() else { return };
        let peer = self.peer.clone();
        tokio::spawn(async move {
            let params = rmcp::model::CancelledNotificationParam::new(Some(id), Some("the caller gave up".into()));
            let _ = peer.notify_cancelled(params).await;
        });
    }
}

/// `s__x` for item `x` of server `s`.
pub fn namespaced(server: &str, name: &str) -> String {
    format!("{server}__{name}")
}

/// `upstream://s/u` for resource `u` of server `s`.
pub fn namespaced_uri(server: &str, uri: &str) -> String {
    format!("{RESOURCE_SCHEME}{server}/{uri}")
}

/// The server and the upstream's own URI of a namespaced resource URI.
pub fn split_uri(uri: &str) -> Option<(&str, &str)> {
    uri.strip_prefix(RESOURCE_SCHEME)?.split_once('/')
}

/// Every server's items, each renamed into the server's namespace.
fn renamed<T>(lists: Vec<(String, Vec<T>)>, rename: impl Fn(&str, &mut T)) -> Vec<T> {
    let mut all = Vec::new();
    for (server, items) in lists {
        all.extend(items.into_iter().map(|mut item| {
            rename(&server, &mut item);
            item
        }));
    }
    all
}

impl Upstreams {
    /// The server and the upstream's own name of `s__x` (the longest
    /// server name that fits, should one server's name start another's).
    pub fn split_name<'a>(&self, name: &'a str) -> Option<(&'a str, &'a str)> {
        self.servers
            .iter()
            .filter_map(|server| {
                let rest = name.strip_prefix(server.spec.name.as_str())?.strip_prefix("__")?;
                Some((&name[..server.spec.name.len()], rest))
            })
            .max_by_key(|(server, _)| server.len())
    }

    /// Every ready server's resources, namespaced. A server that fails to
    /// list them (or has none) adds none.
    pub async fn resources(&self) -> Vec<Resource> {
        let lists = self.each_ready(|peer| async move { peer.list_all_resources().await }).await;
        renamed(lists, |server, resource: &mut Resource| {
            resource.uri = namespaced_uri(server, &resource.uri);
            resource.name = namespaced(server, &resource.name);
        })
    }

    /// Every ready server's resource templates, namespaced.
    pub async fn resource_templates(&self) -> Vec<ResourceTemplate> {
        let lists = self.each_ready(|peer| async move { peer.list_all_resource_templates().await }).await;
        renamed(lists, |server, template: &mut ResourceTemplate| {
            template.uri_template = namespaced_uri(server, &template.uri_template);
            template.name = namespaced(server, &template.name);
        })
    }

    /// Every ready server's prompts, namespaced.
    pub async fn prompts(&self) -> Vec<Prompt> {
        let lists = self.each_ready(|peer| async move { peer.list_all_prompts().await }).await;
        renamed(lists, |server, prompt: &mut Prompt| prompt.name = namespaced(server, &prompt.name))
    }

    /// Reads `uri` (the upstream's own) from `server`; the contents come
    /// back with namespaced URIs.
    pub async fn read_resource(&self, server: &str, uri: &str) -> Result<ReadResourceResult, String> {
        let mut result = self
            .request(server, |peer| async move { peer.read_resource(ReadResourceRequestParams::new(uri)).await })
            .await?;
        for contents in &mut result.contents {
            let uri = match contents {
                ResourceContents::TextResourceContents { uri, .. }
                | ResourceContents::BlobResourceContents { uri, .. } => uri,
                _ => continue,
            };
            *uri = namespaced_uri(server, uri);
        }
        Ok(result)
    }

    /// Gets prompt `name` (the upstream's own) from `server`.
    pub async fn get_prompt(
        &self,
        server: &str,
        name: &str,
        arguments: Option<serde_json::Map<String, serde_json::Value>>,
    ) -> Result<GetPromptResult, String> {
        let mut params = GetPromptRequestParams::new(name);
        params.arguments = arguments;
        self.request(server, |peer| async move { peer.get_prompt(params).await }).await
    }

    /// One request to a ready server, counted in flight, within the server's timeout.
    async fn request<T, Fut>(&self, server: &str, send: impl FnOnce(Peer<RoleClient>) -> Fut) -> Result<T, String>
    where
        Fut: Future<Output = Result<T, rmcp::ServiceError>>,
    {
        let (server, peer) = self.ready(server)?;
        let _counted = server.relays.count();
        let timeout = server.spec.call_timeout;
        tokio::time::timeout(timeout, send(peer))
            .await
            .map_err(|_| format!("no answer within {} ms", timeout.as_millis()))?
            .map_err(|e| e.to_string())
    }

    /// Runs `list` on every ready server at once, each within its timeout.
    async fn each_ready<T, F, Fut>(&self, list: F) -> Vec<(String, Vec<T>)>
    where
        F: Fn(Peer<RoleClient>) -> Fut,
        Fut: Future<Output = Result<Vec<T>, rmcp::ServiceError>>,
    {
        let calls = self.servers.iter().filter_map(|server| {
            let peer = server.state.read().peer.clone()?;
            let name = server.spec.name.clone();
            let call = tokio::time::timeout(server.spec.call_timeout, list(peer));
            Some(async move {
                let _counted = server.relays.count();
                match call.await {
                    Ok(Ok(items)) => Some((name, items)),
                    Ok(Err(error)) => {
                        tracing::debug!(server = %name, %error, "an upstream lists none");
                        None
                    }
                    Err(_) => {
                        tracing::warn!(server = %name, "an upstream did not answer a list request in time");
                        None
                    }
                }
            })
        });
        futures::future::join_all(calls).await.into_iter().flatten().collect()
    }
}

#[cfg(test)]
mod tests {
    use rmcp::model::NumberOrString;

    use super::*;

    #[test]
    fn resource_uris_round_trip() {
        let uri = namespaced_uri("docs", "file:///srv/a b/README.md");
        assert_eq!(uri, "upstream://docs/file:///srv/a b/README.md");
        assert_eq!(split_uri(&uri), Some(("docs", "file:///srv/a b/README.md")));
        assert_eq!(split_uri("docs://upstreams/x.d.ts"), None);
        assert_eq!(split_uri("upstream://docs"), None);
    }

    #[test]
    fn progress_reaches_its_caller_in_order_and_stops_with_the_call() {
        let relays = Relays::default();
        let (notices, mut received) = mpsc::channel(NOTICES);
        let ours = ProgressToken(NumberOrString::Number(7));
        let theirs = ProgressToken(NumberOrString::String("caller-1".into()));
        let registered = relays.register(ours.clone(), Relay { notices, progress_token: Some(theirs.clone()) });
        let progress = |token: &ProgressToken, value: f64| {
            let mut params = ProgressNotificationParam::new(token.clone(), value);
            params.total = Some(3.0);
            params
        };
        for value in [1.0, 3.0, 2.0] {
            relays.progress(progress(&ours, value));
        }
        relays.progress(progress(&ProgressToken(NumberOrString::Number(8)), 5.0));
        drop(registered);
        relays.progress(progress(&ours, 4.0));
        let mut seen = Vec::new();
        while let Ok(Notice::Progress(params)) = received.try_recv() {
            assert_eq!(params.progress_token, theirs);
            seen.push(params.progress);
        }
        assert_eq!(seen, [1.0, 3.0], "2 would go back; 8 is another call's; 4 came after the call");
    }

    #[test]
    fn a_log_message_goes_on_only_when_one_forwarded_call_is_alone_in_flight() {
        let relays = Relays::default();
        let log = || LoggingMessageNotificationParam::new(rmcp::model::LoggingLevel::Info, "hi".into());
        let (notices, mut received) = mpsc::channel(NOTICES);
        let relay = |notices| Relay { notices, progress_token: None };
        let _counted = relays.count();
        let _one = relays.register(ProgressToken(NumberOrString::Number(1)), relay(notices.clone()));
        relays.log("docs", log());
        let Ok(Notice::Log(message)) = received.try_recv() else { panic!("the call alone gets it") };
        assert_eq!(message.logger.as_deref(), Some("docs"));
        // Another request in flight (a run's call, a read): it may be about that one.
        let other = relays.count();
        relays.log("docs", log());
        assert!(received.try_recv().is_err());
        drop(other);
        // Two forwarded calls: neither gets it.
        let _counted_two = relays.count();
        let _two = relays.register(ProgressToken(NumberOrString::Number(2)), relay(notices));
        relays.log("docs", log());
        assert!(received.try_recv().is_err());
    }
}
