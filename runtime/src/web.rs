//! The extensions every isolate is made with, in order: Deno's web
//! platform (deno_webidl, deno_web, deno_fetch), a stand-in for the one
//! deno_net script deno_fetch loads, and ours (`ext.rs`). The base snapshot
//! and every isolate restored from a heap use this same list (V8 needs the
//! same external references to load a snapshot).
//!
//! Deno's web ops are reached only through the globals `js/web.js`
//! installs. Their own permission checks (deno_permissions) are switched
//! to allow everything: the decisions are the run's decider's, made in the
//! ops that replace deno_fetch's (`fetch.rs`).

use std::sync::Arc;

use deno_core::Extension;

use crate::ext::mcpv8;

deno_core::extension!(
    deno_net,
    lazy_loaded_js = [dir "js/net_stub", "02_tls.js"],
);

/// Makes sure rustls has a process-wide crypto provider (fetch's TLS needs
/// one, and with two compiled in rustls will not pick): ring, unless the
/// embedder installed one first.
pub(crate) fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Deno's permission container, allowing everything (see the module doc).
pub(crate) fn permissions() -> deno_permissions::PermissionsContainer {
    let parser = deno_permissions::RuntimePermissionDescriptorParser::new(sys_traits::impls::RealSys);
    deno_permissions::PermissionsContainer::allow_all(Arc::new(parser))
}

/// `mcp-v8/<version>`: what fetch sends and `navigator.userAgent` says.
pub(crate) fn user_agent() -> String {
    format!("mcp-v8/{}", env!("CARGO_PKG_VERSION"))
}

pub fn extensions() -> Vec<Extension> {
    vec![
        deno_webidl::deno_webidl::init(),
        deno_web::deno_web::init(
            Arc::new(deno_web::BlobStore::default()),
            None,
            false,
            deno_web::InMemoryBroadcastChannel::default(),
        ),
        deno_crypto::deno_crypto::init(None),
        deno_fetch::deno_fetch::init(deno_fetch::Options {
            user_agent: user_agent(),
            ..Default::default()
        }),
        deno_net::init(),
        mcpv8::init(),
    ]
}

#[cfg(test)]
mod tests {
    use deno_core::ExtensionFileSourceCode;

    /// The base snapshot is made when the process starts: every script must
    /// be in the binary, not read from where it was built (deno_core patch #5).
    #[test]
    fn every_script_is_in_the_binary() {
        let mut count = 0;
        for extension in super::extensions() {
            let sources = [&extension.js_files, &extension.esm_files, &extension.lazy_loaded_js_files, &extension.lazy_loaded_esm_files];
            for source in sources.into_iter().flat_map(|files| files.iter()) {
                count += 1;
                assert!(
                    !matches!(source.code, ExtensionFileSourceCode::LoadedFromFsDuringSnapshot(_)),
                    "{} of {} is read from disk at run time",
                    source.specifier,
                    extension.name
                );
            }
        }
        assert!(count > 20, "{count} scripts");
    }
}
