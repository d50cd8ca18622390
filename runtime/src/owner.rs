//! Who sessions, executions, heaps and tags belong to, and what a caller
//! may see.
//!
//! The gateway establishes a [`Caller`] for every operation; the engine
//! applies the rules here and nowhere else:
//!
//! - Named sessions belong to the caller's *tenant*: with auth the token's
//!   subject, without auth the one local tenant (named sessions are shared).
//! - Everything else a caller makes (its implicit session, runs outside a
//!   named session, the heaps and tags of those) belongs to its *principal*:
//!   the subject with auth; without auth the MCP connection it came on
//!   (a caller on stdio or plain REST is the local tenant itself).
//! - A caller sees what belongs to its tenant or its principal. Anything
//!   else is "not found", never "forbidden", so ids and names do not leak.
//!
//! **Invariant:** owner keys are escaped so that `SEPARATOR` never occurs
//! in them; `owner SEPARATOR name` keys are unambiguous and prefix scans by
//! owner are exact.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::RuntimeError;
use crate::ids::SessionName;

/// Separates an owner from what follows it in metadata keys.
pub const SEPARATOR: char = '\u{1f}';

/// The owner of sessions, executions, heaps and tags.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Owner {
    /// The one tenant of a server without auth.
    Local,
    /// A token's subject (the `--principal-claim` of a verified token).
    Subject(String),
    /// One MCP connection of a server without auth. Ephemeral: what it owns
    /// is dropped some time after the connection ends.
    Connection(String),
}

impl Owner {
    /// The key in metadata tables (escaped: see the module invariant).
    pub fn key(&self) -> String {
        match self {
            Owner::Local => "local".to_owned(),
            Owner::Subject(subject) => format!("sub:{}", escape(subject)),
            Owner::Connection(id) => format!("conn:{}", escape(id)),
        }
    }

    /// Reads a key made by [`Owner::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        if key == "local" {
            return Some(Owner::Local);
        }
        if let Some(subject) = key.strip_prefix("sub:") {
            return Some(Owner::Subject(unescape(subject)));
        }
        key.strip_prefix("conn:").map(|id| Owner::Connection(unescape(id)))
    }

    pub fn is_ephemeral(&self) -> bool {
        matches!(self, Owner::Connection(_))
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch == '%' || ch.is_control() {
            for byte in ch.to_string().bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(ch);
        }
    }
    out
}

fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) << 4 | hex(bytes[i + 2]));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A session: its owner and its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionKey {
    pub owner: Owner,
    pub name: SessionName,
}

impl SessionKey {
    /// The metadata key: `owner SEPARATOR name`.
    pub fn key(&self) -> String {
        format!("{}{SEPARATOR}{}", self.owner.key(), self.name)
    }

    pub fn from_key(key: &str) -> Option<Self> {
        let (owner, name) = key.split_once(SEPARATOR)?;
        Some(Self { owner: Owner::from_key(owner)?, name: SessionName::from_stored(name) })
    }
}

impl fmt::Display for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name.as_str())
    }
}

/// The caller of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Owns the named sessions the caller uses.
    pub tenant: Owner,
    /// Owns the rest of what the caller makes.
    pub principal: Owner,
    /// The session a run that names none uses, when the caller's connection
    /// has one (its name starts with `~`, which named sessions cannot).
    pub implicit: Option<SessionName>,
    /// The verified token claims (auth on), for policy decisions.
    pub claims: Option<std::sync::Arc<serde_json::Value>>,
}

impl Caller {
    /// A caller on stdio, or on HTTP without auth and without an MCP session.
    pub fn local() -> Self {
        Self { tenant: Owner::Local, principal: Owner::Local, implicit: None, claims: None }
    }

    /// True when `owner`'s things are visible to this caller.
    pub fn can_see(&self, owner: &Owner) -> bool {
        *owner == self.tenant || *owner == self.principal
    }

    /// The caller's implicit session, if it has one.
    pub fn implicit_session(&self) -> Option<SessionKey> {
        self.implicit.clone().map(|name| SessionKey { owner: self.principal.clone(), name })
    }

    /// The session `name` means to this caller: its own implicit session by
    /// that session's name, else the tenant's named session. A `~` name
    /// that is not the caller's own is not found.
    pub fn session(&self, name: &str) -> Result<SessionKey, RuntimeError> {
        if let Some(implicit) = &self.implicit
            && implicit.as_str() == name
        {
            return Ok(SessionKey { owner: self.principal.clone(), name: implicit.clone() });
        }
        if name.starts_with(SessionName::IMPLICIT_PREFIX) {
            return Err(RuntimeError::NotFound(format!("session '{name}' not found")));
        }
        Ok(SessionKey { owner: self.tenant.clone(), name: SessionName::parse(name)? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_never_contain_the_separator() {
        for owner in [
            Owner::Local,
            Owner::Subject("alice".into()),
            Owner::Subject(format!("a{SEPARATOR}b%c")),
            Owner::Connection("0f3a".into()),
        ] {
            let key = owner.key();
            assert!(!key.contains(SEPARATOR), "{key:?}");
            assert_eq!(Owner::from_key(&key), Some(owner));
        }
    }

    #[test]
    fn callers_see_their_tenant_and_principal_only() {
        let alice = Caller {
            tenant: Owner::Local,
            principal: Owner::Connection("a".into()),
            implicit: Some(SessionName::implicit("a")),
            claims: None,
        };
        let bob = Caller {
            tenant: Owner::Local,
            principal: Owner::Connection("b".into()),
            implicit: Some(SessionName::implicit("b")),
            claims: None,
        };
        assert!(alice.can_see(&Owner::Local));
        assert!(!alice.can_see(&bob.principal));
        let own = alice.implicit.clone().unwrap();
        assert_eq!(alice.session(own.as_str()).unwrap().owner, alice.principal);
        assert!(matches!(bob.session(own.as_str()), Err(RuntimeError::NotFound(_))), "another's implicit session is not found");
        assert_eq!(bob.session("shared").unwrap().owner, Owner::Local);
    }
}
