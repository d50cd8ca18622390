//! The `filesystem` capability: the ops behind the global `fs` (`js/fs.js`).
//!
//! Each operation makes its paths absolute (against the server's working
//! directory) and canonical (symlinks resolved, `.` and `..` gone) first,
//! asks the run's decider with `{operation, path, destination?,
//! recursive?}`, and only then touches the file system. A move or a copy is
//! decided twice: for its source (with `destination`), and for its
//! destination as `path` (with `source`); both must allow.
//!
//! **Invariant:** the file acted on is the file decided on. Every access
//! opens the canonical path, or its parent directory, with
//! `RESOLVE_NO_SYMLINKS` (`openat2`), and acts relative to that descriptor:
//! a symlink swapped into the path after the decision makes the operation
//! fail instead of leaving the allowed directory. Trees are removed through
//! descriptors too, never following a link.

use std::cell::RefCell;
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use deno_core::{JsBuffer, OpState, op2};
use deno_error::JsErrorBox;
use rustix::fd::OwnedFd;
use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags, ResolveFlags};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::capability::Capability;
use crate::context::{RunContext, in_span};

/// A path made absolute and canonical, ready for a decision.
fn canonical(path: &str) -> std::io::Result<PathBuf> {
    if path.is_empty() || path.as_bytes().contains(&0) {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a path"));
    }
    let path = Path::new(path);
    let absolute = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    let mut out = PathBuf::from("/");
    // Once a component does not exist, none after it can be a link.
    let mut missing = false;
    for component in absolute.components() {
        match component {
            Component::RootDir | Component::Prefix(_) | Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                let next = out.join(name);
                if missing {
                    out = next;
                    continue;
                }
                match std::fs::symlink_metadata(&next) {
                    Ok(meta) if meta.file_type().is_symlink() => out = std::fs::canonicalize(&next)?,
                    Ok(_) => out = next,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        missing = true;
                        out = next;
                    }
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(out)
}

fn open(path: &Path, flags: OFlags, mode: Mode) -> std::io::Result<OwnedFd> {
    Ok(rustix::fs::openat2(
        CWD,
        path,
        flags | OFlags::CLOEXEC,
        mode,
        ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS,
    )?)
}

/// The parent directory of `path`, opened without following links, and
/// the last component's name.
fn parent(path: &Path) -> std::io::Result<(OwnedFd, OsString)> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "the root has no parent"))?;
    let dir = path.parent().unwrap_or(Path::new("/"));
    Ok((open(dir, OFlags::PATH | OFlags::DIRECTORY, Mode::empty())?, name.to_owned()))
}

/// The error JavaScript sees for an I/O failure, with Node's code.
fn io_error(operation: &str, path: &Path, error: std::io::Error) -> JsErrorBox {
    use rustix::io::Errno;
    let code = match Errno::from_io_error(&error) {
        Some(Errno::NOENT) => "ENOENT",
        Some(Errno::EXIST) => "EEXIST",
        Some(Errno::NOTDIR) => "ENOTDIR",
        Some(Errno::ISDIR) => "EISDIR",
        Some(Errno::NOTEMPTY) => "ENOTEMPTY",
        Some(Errno::ACCESS) | Some(Errno::PERM) => "EACCES",
        Some(Errno::LOOP) | Some(Errno::XDEV) => "ELOOP",
        _ => "EIO",
    };
    let detail = if code == "ELOOP" { "a link appeared in the path after it was checked".to_owned() } else { error.to_string() };
    JsErrorBox::generic(format!("{code}: {operation} '{}': {detail}", path.display()))
}

/// Makes the path canonical and asks the decider. `extra` adds fields to
/// the input (`destination`, `recursive`).
async fn decide(
    context: &RunContext,
    operation: &str,
    path: &str,
    extra: Map<String, Value>,
) -> Result<PathBuf, JsErrorBox> {
    let path = canonical(path).map_err(|e| io_error(operation, Path::new(path), e))?;
    let mut fields = Map::new();
    fields.insert("operation".into(), Value::String(operation.into()));
    fields.insert("path".into(), Value::String(path.to_string_lossy().into_owned()));
    fields.extend(extra);
    context.check(Capability::Filesystem, &format!("{operation} {}", path.display()), fields).await?;
    Ok(path)
}

/// Runs blocking file work off the V8 thread, unless the run stops first.
async fn blocking<T: Send + 'static>(
    context: &RunContext,
    work: impl FnOnce() -> Result<T, JsErrorBox> + Send + 'static,
) -> Result<T, JsErrorBox> {
    context
        .until_stopped(tokio::task::spawn_blocking(work))
        .await?
        .map_err(|e| JsErrorBox::generic(format!("file operation failed: {e}")))?
}

fn context_of(state: &Rc<RefCell<OpState>>) -> Result<std::sync::Arc<RunContext>, JsErrorBox> {
    RunContext::current(&state.borrow())
}

#[op2]
#[buffer]
pub async fn op_mcpv8_fs_read(state: Rc<RefCell<OpState>>, #[string] path: String) -> Result<Vec<u8>, JsErrorBox> {
    in_span(span("readFile", &path), read(state, path)).await
}

/// The span of a file operation: `fs readFile`, with the path as given.
fn span(operation: &str, path: &str) -> tracing::Span {
    child_span!(
        "fs",
        otel.name = %format_args!("fs {operation}"),
        "file.path" = path,
        "error.type" = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
    )
}

async fn read(state: Rc<RefCell<OpState>>, path: String) -> Result<Vec<u8>, JsErrorBox> {
    let context = context_of(&state)?;
    let path = decide(&context, "readFile", &path, Map::new()).await?;
    let budget = context.budget_bytes;
    blocking(&context, move || {
        let fd = open(&path, OFlags::RDONLY, Mode::empty()).map_err(|e| io_error("readFile", &path, e))?;
        let size = rustix::fs::fstat(&fd).map_err(|e| io_error("readFile", &path, e.into()))?.st_size as u64;
        if size > budget as u64 {
            return Err(JsErrorBox::range_error(format!(
                "readFile '{}': {size} bytes is more than the run's memory budget (heap_memory_max_mb)",
                path.display()
            )));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        // Read at most one byte past the budget: a file that grows meanwhile is still bounded.
        std::fs::File::from(fd)
            .take(budget as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io_error("readFile", &path, e))?;
        if bytes.len() > budget {
            return Err(JsErrorBox::range_error(format!("readFile '{}': more than the run's memory budget", path.display())));
        }
        Ok(bytes)
    })
    .await
}

#[op2]
pub async fn op_mcpv8_fs_write(
    state: Rc<RefCell<OpState>>,
    #[string] path: String,
    #[buffer] data: JsBuffer,
    append: bool,
) -> Result<(), JsErrorBox> {
    let operation = if append { "appendFile" } else { "writeFile" };
    in_span(span(operation, &path), write(state, path, data, append)).await
}

async fn write(state: Rc<RefCell<OpState>>, path: String, data: JsBuffer, append: bool) -> Result<(), JsErrorBox> {
    let context = context_of(&state)?;
    let operation = if append { "appendFile" } else { "writeFile" };
    let path = decide(&context, operation, &path, Map::new()).await?;
    let data = data.to_vec();
    blocking(&context, move || {
        let mode = if append { OFlags::APPEND } else { OFlags::TRUNC };
        let fd = open(&path, OFlags::WRONLY | OFlags::CREATE | mode, Mode::from_raw_mode(0o644))
            .map_err(|e| io_error(operation, &path, e))?;
        std::fs::File::from(fd).write_all(&data).map_err(|e| io_error(operation, &path, e))
    })
    .await
}

/// One entry of `readdir`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    name: String,
    is_file: bool,
    is_directory: bool,
    is_symlink: bool,
}

fn kind(file_type: FileType) -> (bool, bool, bool) {
    (file_type == FileType::RegularFile, file_type == FileType::Directory, file_type == FileType::Symlink)
}

/// The other operations: `readdir`, `stat`, `exists`, `mkdir`, `rm`,
/// `rename`, `copyFile`. Answers JSON (`null` when there is nothing to say).
#[op2]
#[serde]
pub async fn op_mcpv8_fs(
    state: Rc<RefCell<OpState>>,
    #[string] operation: String,
    #[string] path: String,
    #[string] destination: Option<String>,
    recursive: bool,
    force: bool,
) -> Result<serde_json::Value, JsErrorBox> {
    let span = span(&operation, &path);
    in_span(span, other(state, operation, path, destination, recursive, force)).await
}

async fn other(
    state: Rc<RefCell<OpState>>,
    operation: String,
    path: String,
    destination: Option<String>,
    recursive: bool,
    force: bool,
) -> Result<serde_json::Value, JsErrorBox> {
    let context = context_of(&state)?;
    let mut extra = Map::new();
    if matches!(operation.as_str(), "mkdir" | "rm") {
        extra.insert("recursive".into(), Value::Bool(recursive));
    }
    let destination = match destination {
        Some(destination) if matches!(operation.as_str(), "rename" | "copyFile") => {
            let destination =
                canonical(&destination).map_err(|e| io_error(&operation, Path::new(&destination), e))?;
            extra.insert("destination".into(), Value::String(destination.to_string_lossy().into_owned()));
            Some(destination)
        }
        Some(_) | None if matches!(operation.as_str(), "rename" | "copyFile") => {
            return Err(JsErrorBox::type_error(format!("{operation} needs a destination")));
        }
        _ => None,
    };
    let path = decide(&context, &operation, &path, extra).await?;
    // What is written is decided on its own too, so a policy that only
    // looks at `path` cannot be walked around by a move or a copy.
    if let Some(destination) = &destination {
        let mut extra = Map::new();
        extra.insert("source".into(), Value::String(path.to_string_lossy().into_owned()));
        decide(&context, &operation, &destination.to_string_lossy(), extra).await?;
    }
    let budget = context.budget_bytes;
    blocking(&context, move || {
        let fail = |e: std::io::Error| io_error(&operation, &path, e);
        match operation.as_str() {
            "readdir" => {
                let fd = open(&path, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty()).map_err(fail)?;
                let mut dir = rustix::fs::Dir::read_from(&fd).map_err(|e| fail(e.into()))?;
                let mut entries = Vec::new();
                let mut bytes = 0usize;
                while let Some(entry) = dir.read() {
                    let entry = entry.map_err(|e| fail(e.into()))?;
                    let name = entry.file_name().to_bytes();
                    if name == b"." || name == b".." {
                        continue;
                    }
                    bytes += name.len() + 64;
                    if bytes > budget {
                        return Err(JsErrorBox::range_error(format!(
                            "readdir '{}': the listing is more than the run's memory budget",
                            path.display()
                        )));
                    }
                    let (is_file, is_directory, is_symlink) = kind(entry.file_type());
                    entries.push(Entry { name: String::from_utf8_lossy(name).into_owned(), is_file, is_directory, is_symlink });
                }
                entries.sort_by(|a, b| a.name.cmp(&b.name));
                Ok(serde_json::to_value(entries).unwrap_or_default())
            }
            "stat" => {
                let fd = open(&path, OFlags::PATH, Mode::empty()).map_err(fail)?;
                let stat = rustix::fs::fstat(&fd).map_err(|e| fail(e.into()))?;
                let (is_file, is_directory, is_symlink) = kind(FileType::from_raw_mode(stat.st_mode));
                Ok(json!({
                    "size": stat.st_size,
                    "isFile": is_file,
                    "isDirectory": is_directory,
                    "isSymlink": is_symlink,
                    "mode": stat.st_mode & 0o7777,
                    "mtimeMs": stat.st_mtime as f64 * 1000.0 + stat.st_mtime_nsec as f64 / 1e6,
                }))
            }
            "exists" => match open(&path, OFlags::PATH, Mode::empty()) {
                Ok(_) => Ok(Value::Bool(true)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Value::Bool(false)),
                Err(e) => Err(fail(e)),
            },
            "mkdir" => mkdir(&path, recursive).map(|()| Value::Null).map_err(fail),
            "rm" => {
                let (dir, name) = parent(&path).map_err(fail)?;
                match remove(&dir, &name, recursive) {
                    Err(e) if force && e.kind() == std::io::ErrorKind::NotFound => Ok(Value::Null),
                    result => result.map(|()| Value::Null).map_err(fail),
                }
            }
            "rename" => {
                let destination = destination.expect("checked above");
                let (from_dir, from_name) = parent(&path).map_err(fail)?;
                let (to_dir, to_name) = parent(&destination).map_err(fail)?;
                rustix::fs::renameat(&from_dir, &from_name, &to_dir, &to_name).map_err(|e| fail(e.into()))?;
                Ok(Value::Null)
            }
            "copyFile" => {
                let destination = destination.expect("checked above");
                let source = open(&path, OFlags::RDONLY, Mode::empty()).map_err(fail)?;
                let target = open(&destination, OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC, Mode::from_raw_mode(0o644))
                    .map_err(|e| io_error("copyFile", &destination, e))?;
                std::io::copy(&mut std::fs::File::from(source), &mut std::fs::File::from(target)).map_err(fail)?;
                Ok(Value::Null)
            }
            other => Err(JsErrorBox::type_error(format!("unknown fs operation '{other}'"))),
        }
    })
    .await
}

/// Makes a directory (and its missing parents, with `recursive`), each
/// relative to its parent's descriptor.
fn mkdir(path: &Path, recursive: bool) -> std::io::Result<()> {
    if !recursive {
        let (dir, name) = parent(path)?;
        return Ok(rustix::fs::mkdirat(&dir, &name, Mode::from_raw_mode(0o755))?);
    }
    let mut current = open(Path::new("/"), OFlags::PATH | OFlags::DIRECTORY, Mode::empty())?;
    for component in path.components() {
        let Component::Normal(name) = component else { continue };
        match rustix::fs::mkdirat(&current, name, Mode::from_raw_mode(0o755)) {
            Ok(()) | Err(rustix::io::Errno::EXIST) => {}
            Err(e) => return Err(e.into()),
        }
        current = rustix::fs::openat(&current, name, OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::empty())?;
    }
    Ok(())
}

/// Removes `name` in `dir`: a file or link, an empty directory, or with
/// `recursive` a whole tree (links are removed, never followed).
fn remove(dir: &OwnedFd, name: &OsStr, recursive: bool) -> std::io::Result<()> {
    let stat = rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)?;
    if FileType::from_raw_mode(stat.st_mode) != FileType::Directory {
        return Ok(rustix::fs::unlinkat(dir, name, AtFlags::empty())?);
    }
    if recursive {
        let fd = rustix::fs::openat(dir, name, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::empty())?;
        let mut names = Vec::new();
        let mut listing = rustix::fs::Dir::read_from(&fd)?;
        while let Some(entry) = listing.read() {
            let entry = entry?;
            let child = entry.file_name().to_bytes();
            if child != b"." && child != b".." {
                names.push(OsStr::from_bytes(child).to_owned());
            }
        }
        for child in names {
            remove(&fd, &child, true)?;
        }
    }
    Ok(rustix::fs::unlinkat(dir, name, AtFlags::REMOVEDIR)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_paths_resolve_dots_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(root.join("allowed")).unwrap();
        std::os::unix::fs::symlink("/etc", root.join("allowed/out")).unwrap();
        let as_str = |p: &Path| p.to_str().unwrap().to_owned();
        assert_eq!(canonical(&as_str(&root.join("allowed/./x/../y"))).unwrap(), root.join("allowed/y"));
        assert_eq!(canonical(&as_str(&root.join("allowed/out/passwd"))).unwrap(), PathBuf::from("/etc/passwd"));
        assert_eq!(canonical(&as_str(&root.join("allowed/../allowed/new/file"))).unwrap(), root.join("allowed/new/file"));
        assert!(canonical("").is_err());
    }
}
