//! The `modules` capability: ES module imports from user code
//! (`import { x } from "npm:pkg@1"` and `await import(url)`).
//!
//! Each isolate has one [`Loader`], deno_core's module loader. `resolve`
//! (synchronous) maps a specifier to the URL it is fetched from: `npm:` and
//! `jsr:` to the configured CDN, `https://` as written, `./x` and `/x`
//! against the importing module. `load` (asynchronous) decides the URL with
//! the run's `modules` policy, has the gateway's [`ModuleFetcher`] get it
//! (the fetcher keeps the cache; it never follows a redirect itself), and
//! decides every redirect hop again before it is fetched.
//!
//! **Invariants:**
//! - Nothing is fetched before the run's decider allowed that exact URL,
//!   and nothing resolves at all without `--allow-external-modules`.
//! - Only `http(s)` modules, from `npm:`/`jsr:`/URL specifiers, ever load:
//!   no `file:`, `node:`, `data:` or `ext:` module is reachable.
//! - A module already in an isolate's module map (imported by an earlier
//!   run of the session, kept in its heap) is not fetched or decided again:
//!   the session keeps what it imported.
//! - A heap in which a run that did not complete started an import is not
//!   snapshotted (a module may be half loaded): see [`Loader::unsettled`].

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use deno_core::{
    ModuleLoadOptions, ModuleLoadReferrer, ModuleLoadResponse, ModuleLoader, ModuleSource, ModuleSourceCode,
    ModuleSpecifier, ModuleType, RequestedModuleType, ResolutionKind,
};
use deno_error::JsErrorBox;
use serde_json::{Map, Value};
use url::Url;

use crate::capability::Capability;
use crate::context::RunContext;

/// How many redirects one import follows.
const MAX_REDIRECTS: usize = 10;

/// What one request for a module URL gave.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// A redirect to this (absolute) URL; the loader decides it before it
    /// asks for it.
    Redirect(Url),
    /// The module's bytes, and the response's content type.
    Module { bytes: bytes::Bytes, content_type: Option<String> },
}

/// Gets module URLs for the loader: implemented by the gateway (HTTP, with
/// its cache). Never follows redirects: it returns them.
#[async_trait::async_trait]
pub trait ModuleFetcher: Send + Sync + 'static {
    /// One request for `url`; a body over `max_bytes` is an error.
    async fn fetch(&self, url: &Url, max_bytes: usize) -> Result<Fetched, String>;
}

/// The fetcher of an engine without one: every fetch fails.
pub struct NoFetcher;

#[async_trait::async_trait]
impl ModuleFetcher for NoFetcher {
    async fn fetch(&self, _url: &Url, _max_bytes: usize) -> Result<Fetched, String> {
        Err("this server fetches no modules".into())
    }
}

/// The server's module settings, shared by every run.
pub struct ModuleSetup {
    /// `--allow-external-modules`: without it, no import resolves.
    pub allow_external: bool,
    /// `--module-cdn`: where `npm:x` (`<cdn>x`) and `jsr:x` (`<cdn>jsr/x`)
    /// are fetched from. Ends with `/`.
    pub cdn: Url,
    pub fetcher: Arc<dyn ModuleFetcher>,
}

impl Default for ModuleSetup {
    fn default() -> Self {
        Self { allow_external: false, cdn: default_cdn(), fetcher: Arc::new(NoFetcher) }
    }
}

/// `https://esm.sh/`: serves npm packages and JSR ones (`/jsr/...`) as ES modules.
pub fn default_cdn() -> Url {
    Url::parse("https://esm.sh/").expect("a valid URL")
}

/// How a specifier was written (`specifier_type` in the decision's input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Url,
    Npm,
    Jsr,
    Relative,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Url => "url",
            Kind::Npm => "npm",
            Kind::Jsr => "jsr",
            Kind::Relative => "relative",
        }
    }
}

/// How a resolved URL was asked for: what its decisions say.
#[derive(Debug, Clone)]
struct Asked {
    specifier: String,
    kind: Kind,
    referrer: Option<String>,
}

/// Maps a specifier to the URL it is fetched from.
fn resolve_specifier(specifier: &str, referrer: &str, cdn: &Url) -> Result<(Url, Kind), String> {
    let package = |kind: Kind, path: String| {
        let path = path.trim_start_matches('/');
        if path.is_empty() {
            return Err(format!("'{specifier}' names no package"));
        }
        cdn.join(path).map(|url| (url, kind)).map_err(|e| format!("'{specifier}': {e}"))
    };
    if let Some(rest) = specifier.strip_prefix("npm:") {
        return package(Kind::Npm, rest.to_owned());
    }
    if let Some(rest) = specifier.strip_prefix("jsr:") {
        return package(Kind::Jsr, format!("jsr/{}", rest.trim_start_matches('/')));
    }
    if specifier.starts_with("./") || specifier.starts_with("../") || specifier.starts_with('/') {
        let base = Url::parse(referrer).ok().filter(|u| matches!(u.scheme(), "http" | "https")).ok_or_else(|| {
            format!("'{specifier}' is relative, and run_js code has no URL to be relative to: import a URL, npm: or jsr: module")
        })?;
        return base.join(specifier).map(|url| (url, Kind::Relative)).map_err(|e| format!("'{specifier}': {e}"));
    }
    match Url::parse(specifier) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok((url, Kind::Url)),
        Ok(url) => Err(format!(
            "'{specifier}': {}: modules are not available; import https: URLs, npm: or jsr: packages",
            url.scheme()
        )),
        Err(_) => Err(format!("'{specifier}' is a bare specifier: write 'npm:{specifier}' to import it from npm")),
    }
}

/// TypeScript by its URL's extension or its content type.
fn is_typescript(url: &Url, content_type: Option<&str>) -> bool {
    let path = url.path();
    content_type.is_some_and(|t| t.contains("typescript"))
        || [".ts", ".mts", ".cts", ".tsx"].iter().any(|ext| path.ends_with(ext)) && !path.ends_with(".d.ts")
}

/// The module's code as V8 gets it.
fn module_code(
    url: &Url,
    bytes: &[u8],
    content_type: Option<&str>,
    module_type: &ModuleType,
) -> Result<String, String> {
    if content_type.is_some_and(|t| t.starts_with("text/html")) {
        return Err("the server answered with an HTML page, not a module".into());
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "the module is not UTF-8 text".to_owned())?;
    if matches!(module_type, ModuleType::JavaScript) && is_typescript(url, content_type) {
        return crate::transform::transpile_module(url, text);
    }
    Ok(text.to_owned())
}

fn import_error(asked: &str, why: impl std::fmt::Display) -> JsErrorBox {
    JsErrorBox::type_error(format!("import '{asked}': {why}"))
}

/// deno_core's module loader for one isolate. It reads the run in progress
/// from a slot the isolate fills for the length of each run.
#[derive(Default)]
pub(crate) struct Loader {
    run: RefCell<Option<Arc<RunContext>>>,
    asked: RefCell<HashMap<Url, Asked>>,
    /// Loads begun since the run started.
    started: Cell<usize>,
    /// Loads whose future has not finished.
    in_flight: Rc<Cell<usize>>,
}

/// Counts a load in flight until it drops.
struct InFlight(Rc<Cell<usize>>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

impl Loader {
    /// The run in progress, from now until [`Loader::end_run`].
    pub(crate) fn start_run(&self, context: Arc<RunContext>) {
        *self.run.borrow_mut() = Some(context);
        self.started.set(0);
    }

    pub(crate) fn end_run(&self) {
        self.run.borrow_mut().take();
        self.asked.borrow_mut().clear();
    }

    /// True when the last run began an import, so that after a run that did
    /// not complete a module may be half loaded or evaluated, or a load is
    /// still pending: such a heap is not kept.
    pub(crate) fn unsettled(&self, completed: bool) -> bool {
        self.in_flight.get() > 0 || (!completed && self.started.get() > 0)
    }

    fn current(&self) -> Result<Arc<RunContext>, JsErrorBox> {
        self.run
            .borrow()
            .clone()
            .ok_or_else(|| JsErrorBox::generic("no run in progress: this import belongs to a run that has ended"))
    }
}

impl ModuleLoader for Loader {
    fn resolve(&self, specifier: &str, referrer: &str, _kind: ResolutionKind) -> Result<ModuleSpecifier, JsErrorBox> {
        let context = self.current()?;
        let setup = &context.modules;
        if !setup.allow_external {
            return Err(JsErrorBox::new(
                "PermissionDenied",
                format!(
                    "modules denied: import '{specifier}' (external modules are off; start the server with --allow-external-modules and a `modules` policy in --policies-json)"
                ),
            ));
        }
        let (url, kind) = resolve_specifier(specifier, referrer, &setup.cdn).map_err(JsErrorBox::type_error)?;
        let referrer = Url::parse(referrer).ok().map(|_| referrer.to_owned());
        self.asked.borrow_mut().entry(url.clone()).or_insert(Asked { specifier: specifier.to_owned(), kind, referrer });
        Ok(url)
    }

    fn load(
        &self,
        specifier: &ModuleSpecifier,
        _referrer: Option<&ModuleLoadReferrer>,
        options: ModuleLoadOptions,
    ) -> ModuleLoadResponse {
        let asked = self.asked.borrow().get(specifier).cloned().unwrap_or_else(|| Asked {
            specifier: specifier.to_string(),
            kind: Kind::Url,
            referrer: None,
        });
        let module_type = match &options.requested_module_type {
            RequestedModuleType::None => ModuleType::JavaScript,
            RequestedModuleType::Json => ModuleType::Json,
            other => {
                let why = format!(
                    "import type '{}' is not supported (JavaScript, TypeScript and JSON are)",
                    other.as_str().unwrap_or("?")
                );
                return ModuleLoadResponse::Sync(Err(import_error(&asked.specifier, why)));
            }
        };
        let context = match self.current() {
            Ok(context) => context,
            Err(error) => return ModuleLoadResponse::Sync(Err(error)),
        };
        self.started.set(self.started.get() + 1);
        self.in_flight.set(self.in_flight.get() + 1);
        let guard = InFlight(self.in_flight.clone());
        let specifier = specifier.clone();
        // Its decisions (one per redirect hop) are under it.
        let span = child_span!(
            "import",
            otel.kind = "client",
            otel.name = %format_args!("import {}", crate::fetch::url_full(&specifier)),
            // As written, without a query (it may hold a token).
            "mcp_v8.module.specifier" = asked.specifier.split(['?', '#']).next().unwrap_or_default(),
            "url.full" = tracing::field::Empty,
            "error.type" = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
        );
        let recorded = span.clone();
        ModuleLoadResponse::Async(Box::pin(crate::context::in_span(span, async move {
            let _guard = guard;
            let max_bytes = context.fetch.max_response_bytes.min(context.budget_bytes);
            let mut url = specifier.clone();
            for _ in 0..=MAX_REDIRECTS {
                let operation = if asked.specifier == url.as_str() {
                    format!("import {url}")
                } else {
                    format!("import '{}' ({url})", asked.specifier)
                };
                context.check(Capability::Modules, &operation, input(&asked, &url)).await?;
                let fetched = context.until_stopped(context.modules.fetcher.fetch(&url, max_bytes)).await?;
                match fetched.map_err(|why| import_error(&asked.specifier, format!("cannot fetch {url}: {why}")))? {
                    Fetched::Redirect(next) if matches!(next.scheme(), "http" | "https") => url = next,
                    Fetched::Redirect(next) => {
                        return Err(import_error(
                            &asked.specifier,
                            format!("{url} redirects to {next}, which is not http(s)"),
                        ));
                    }
                    Fetched::Module { bytes, content_type } => {
                        // Where it came from, after redirects; no query (it may hold a token).
                        recorded.record("url.full", crate::fetch::url_full(&url));
                        let code = module_code(&url, &bytes, content_type.as_deref(), &module_type)
                            .map_err(|why| import_error(&asked.specifier, format!("{url}: {why}")))?;
                        return Ok(ModuleSource::new_with_redirect(
                            module_type,
                            ModuleSourceCode::String(code.into()),
                            &specifier,
                            &url,
                            None,
                        ));
                    }
                }
            }
            Err(import_error(&asked.specifier, format!("more than {MAX_REDIRECTS} redirects")))
        })))
    }
}

/// The decision's input for one hop: `{operation: "import", specifier,
/// specifier_type, resolved_url, url_parsed, referrer}`.
fn input(asked: &Asked, url: &Url) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("operation".into(), Value::String("import".into()));
    fields.insert("specifier".into(), Value::String(asked.specifier.clone()));
    fields.insert("specifier_type".into(), Value::String(asked.kind.name().into()));
    fields.insert("resolved_url".into(), Value::String(url.to_string()));
    fields.insert("url_parsed".into(), crate::fetch::url_parsed(url));
    fields.insert("referrer".into(), asked.referrer.clone().map_or(Value::Null, Value::String));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cdn() -> Url {
        Url::parse("https://cdn.example/").unwrap()
    }

    fn resolved(specifier: &str, referrer: &str) -> Result<(String, &'static str), String> {
        resolve_specifier(specifier, referrer, &cdn()).map(|(url, kind)| (url.to_string(), kind.name()))
    }

    #[test]
    fn specifiers_map_to_the_cdn_and_urls() {
        assert_eq!(
            resolved("npm:lodash-es@4.17.21", "run_js").unwrap(),
            ("https://cdn.example/lodash-es@4.17.21".into(), "npm")
        );
        assert_eq!(
            resolved("npm:@scope/pkg@1/sub", "run_js").unwrap(),
            ("https://cdn.example/@scope/pkg@1/sub".into(), "npm")
        );
        assert_eq!(
            resolved("jsr:@std/path@1", "run_js").unwrap(),
            ("https://cdn.example/jsr/@std/path@1".into(), "jsr")
        );
        assert_eq!(resolved("https://a.example/m.js", "run_js").unwrap(), ("https://a.example/m.js".into(), "url"));
        assert_eq!(
            resolved("./b.js", "https://a.example/x/m.js").unwrap(),
            ("https://a.example/x/b.js".into(), "relative")
        );
        assert_eq!(
            resolved("/v1/c.mjs", "https://a.example/x/m.js").unwrap(),
            ("https://a.example/v1/c.mjs".into(), "relative")
        );
    }

    #[test]
    fn other_specifiers_are_refused_with_what_to_write() {
        assert!(resolved("lodash", "run_js").unwrap_err().contains("npm:lodash"));
        assert!(resolved("./a.js", "run_js").unwrap_err().contains("relative"));
        for specifier in ["node:fs", "file:///etc/passwd", "data:text/javascript,1", "ext:core/ops"] {
            assert!(resolved(specifier, "run_js").unwrap_err().contains("not available"), "{specifier}");
        }
        assert!(resolved("npm:", "run_js").unwrap_err().contains("names no package"));
    }

    #[test]
    fn typescript_is_told_by_extension_or_content_type() {
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(is_typescript(&url("https://a/m.ts"), None));
        assert!(is_typescript(&url("https://a/m"), Some("application/typescript")));
        assert!(!is_typescript(&url("https://a/m.d.ts"), None));
        assert!(!is_typescript(&url("https://a/m.js"), Some("text/javascript")));
    }
}
