//! The stored form of a heap: its snapshot bytes compressed with zstd,
//! either alone (about 4x smaller) or against a *dictionary*: another
//! snapshot, which every heap resembles (about 60x smaller, and three to
//! five times faster both ways).
//!
//! A session's heap is the base snapshot (deno_core and our bootstrap, some
//! 800 KB) restored, changed by its runs (a small run changes a few KB) and
//! serialized again: most of what V8 writes is byte for byte what it writes
//! for an empty session. zstd given such a heap as its dictionary finds
//! those runs of bytes and stores references to them. An empty session of
//! another process (V8 seeds its hashes anew) or of a slightly changed build
//! serves nearly as well: only the dictionary's name is kept with the heap,
//! and the dictionary itself is a heap of the store (see
//! [`super::Dictionaries`]).
//!
//! Forms (the first 8 bytes tell them apart):
//! - `MV8ZSTD1` + a zstd frame: the snapshot alone.
//! - `MV8ZSTD2` + the dictionary's [`HeapHash`] (64 hex digits) + a zstd
//!   frame made with it. The dictionary is a heap of the same store, itself
//!   stored in the first form.
//! - anything else: a snapshot stored as is (by an early version).
//!
//! **Invariants:**
//! - A heap is named by the SHA-256 of its snapshot bytes, never of its
//!   stored form: [`unpack`] gives back exactly the bytes that were hashed,
//!   and the engine checks them against the name after unpacking, so a
//!   wrong or damaged dictionary can only make a heap refused, never
//!   restored as something else.
//! - Unpacking never allocates more than [`MAX_UNPACKED`] (the largest heap
//!   V8 can snapshot), whatever the stored bytes claim.
//! - Every frame carries zstd's checksum of its content.

use std::borrow::Cow;
use std::io::Write;

use zstd::zstd_safe::{CCtx, CParameter};

use crate::ids::HeapHash;

/// Starts a heap packed alone: "mcp-v8 zstd", version 1.
const MAGIC: &[u8; 8] = b"MV8ZSTD1";
/// Starts a heap packed against a dictionary.
const MAGIC_DICT: &[u8; 8] = b"MV8ZSTD2";
/// The length of a [`HeapHash`] in text.
const HASH_LEN: usize = 64;
/// zstd level alone: 1 compresses a heap about 4x at a fraction of a
/// snapshot's cost.
const LEVEL: i32 = 1;
/// Against a dictionary: level 2 with a hash table of 2^17 entries packs a
/// session's heap to about 12 KB in 0.4 ms (level 1, or zstd's own table
/// size for a dictionary, finds few of the matches: 70 to 200 KB, slower).
const LEVEL_DICT: i32 = 2;
const HASH_LOG_DICT: u32 = 17;
/// Packing contexts a dictionary keeps between uses (each holds a copy of
/// the dictionary and its tables, about 2 MB); more are made when more
/// heaps are packed at once, and dropped after.
const KEPT_PACKERS: usize = 4;
/// The largest snapshot V8 makes (and `--max-snapshot-bytes` allows).
pub const MAX_UNPACKED: u64 = 2 << 30;
/// zstd's magic for a dictionary in its own format (made by its trainer):
/// a snapshot starting with it would not be taken as raw content.
const ZSTD_DICT_MAGIC: [u8; 4] = 0xEC30_A437u32.to_le_bytes();

/// A snapshot prepared as a zstd dictionary, both ways.
pub struct Dictionary {
    hash: HeapHash,
    bytes: Vec<u8>,
    decoder: zstd::dict::DecoderDictionary<'static>,
    packers: parking_lot::Mutex<Vec<CCtx<'static>>>,
}

impl std::fmt::Debug for Dictionary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dictionary").field("hash", &self.hash).field("len", &self.bytes.len()).finish()
    }
}

impl Dictionary {
    /// `snapshot` (named `hash`) prepared as a dictionary, or `None` for
    /// bytes zstd would not take as raw content.
    pub fn new(hash: HeapHash, snapshot: &[u8]) -> Option<Self> {
        if snapshot.len() < 1024 || snapshot.starts_with(&ZSTD_DICT_MAGIC) {
            return None;
        }
        Some(Self {
            hash,
            bytes: snapshot.to_vec(),
            decoder: zstd::dict::DecoderDictionary::copy(snapshot),
            packers: parking_lot::Mutex::new(Vec::new()),
        })
    }

    /// The name of the snapshot it was made from.
    pub fn hash(&self) -> &HeapHash {
        &self.hash
    }

    /// Packs `snapshot` against this dictionary after the `header` bytes.
    fn pack_after(&self, header: Vec<u8>, snapshot: &[u8]) -> std::io::Result<Vec<u8>> {
        let kept = self.packers.lock().pop();
        let mut packer = match kept {
            Some(packer) => packer,
            None => {
                let mut packer = CCtx::try_create().ok_or_else(|| io_error("cannot allocate a zstd context"))?;
                for parameter in [
                    CParameter::CompressionLevel(LEVEL_DICT),
                    CParameter::HashLog(HASH_LOG_DICT),
                    CParameter::ChecksumFlag(true),
                ] {
                    packer.set_parameter(parameter).map_err(zstd_error)?;
                }
                // Loaded once: zstd indexes it when this context first packs.
                packer.load_dictionary(&self.bytes).map_err(zstd_error)?;
                packer
            }
        };
        packer
            .set_parameter(CParameter::WindowLog(window_log(self.bytes.len() + snapshot.len())))
            .map_err(zstd_error)?;
        let start = header.len();
        let mut packed = std::io::Cursor::new(header);
        packed.get_mut().reserve(zstd::zstd_safe::compress_bound(snapshot.len()));
        packed.set_position(start as u64);
        // The frame states its content size: `unpack` allocates once, and checks it.
        let result = packer.compress2(&mut packed, snapshot).map(|_| packed.into_inner()).map_err(zstd_error);
        if result.is_ok() {
            let mut kept = self.packers.lock();
            if kept.len() < KEPT_PACKERS {
                kept.push(packer);
            }
        }
        result
    }
}

fn zstd_error(code: usize) -> std::io::Error {
    io_error(zstd::zstd_safe::get_error_name(code))
}

fn io_error(message: &str) -> std::io::Error {
    std::io::Error::other(message.to_owned())
}

/// The stored form of `snapshot`: against `dictionary` when one is given.
pub fn pack(snapshot: &[u8], dictionary: Option<&Dictionary>) -> std::io::Result<Vec<u8>> {
    let Some(dictionary) = dictionary else {
        let mut packed = Vec::with_capacity(MAGIC.len() + snapshot.len() / 3);
        packed.extend_from_slice(MAGIC);
        let mut encoder = zstd::stream::Encoder::new(packed, LEVEL)?;
        // The size in the frame header lets `unpack` allocate once, and check it.
        encoder.set_pledged_src_size(Some(snapshot.len() as u64))?;
        encoder.include_checksum(true)?;
        encoder.write_all(snapshot)?;
        return encoder.finish();
    };
    let mut header = Vec::with_capacity(MAGIC_DICT.len() + HASH_LEN);
    header.extend_from_slice(MAGIC_DICT);
    header.extend_from_slice(dictionary.hash.as_str().as_bytes());
    dictionary.pack_after(header, snapshot)
}

/// The window for packing against a dictionary: zstd finds matches only
/// within it, and a match in the dictionary's first bytes for the
/// snapshot's last ones spans both (zstd's own choice, 1 MB, leaves much
/// of a session's heap nothing to match). At most 8 MB: a reader that
/// streams the frame buffers that much.
fn window_log(span: usize) -> u32 {
    span.next_power_of_two().trailing_zeros().clamp(20, 23)
}

/// The dictionary a stored heap was packed against, if any (an error for a
/// header that names none properly).
pub fn dictionary_of(stored: &[u8]) -> Result<Option<HeapHash>, String> {
    let Some(rest) = stored.strip_prefix(MAGIC_DICT.as_slice()) else {
        return Ok(None);
    };
    let name = rest.get(..HASH_LEN).and_then(|name| std::str::from_utf8(name).ok()).unwrap_or_default();
    HeapHash::parse(name).map(Some).map_err(|_| "its header names no dictionary".to_owned())
}

/// The snapshot bytes of a stored heap (an error says why they cannot be
/// had). `dictionary` is the one [`dictionary_of`] names, when it names one.
pub fn unpack<'a>(stored: &'a [u8], dictionary: Option<&Dictionary>) -> Result<Cow<'a, [u8]>, String> {
    let (frame, unpacker) = if let Some(frame) = stored.strip_prefix(MAGIC.as_slice()) {
        (frame, zstd::bulk::Decompressor::new())
    } else {
        let Some(named) = dictionary_of(stored)? else {
            return Ok(Cow::Borrowed(stored));
        };
        let dictionary = match dictionary {
            Some(dictionary) if dictionary.hash == named => dictionary,
            _ => return Err(format!("it needs dictionary {named}, which was not given")),
        };
        let frame = &stored[MAGIC_DICT.len() + HASH_LEN..];
        (frame, zstd::bulk::Decompressor::with_prepared_dictionary(&dictionary.decoder))
    };
    let mut unpacker = unpacker.map_err(|e| e.to_string())?;
    let size = match zstd::zstd_safe::get_frame_content_size(frame) {
        Ok(Some(size)) if size <= MAX_UNPACKED => size,
        Ok(Some(size)) => return Err(format!("it claims {size} bytes, more than any heap")),
        Ok(None) | Err(_) => return Err("its compressed frame has no valid header".into()),
    };
    let mut snapshot = Vec::with_capacity(size as usize);
    // In one call, into exactly the room the header states: zstd refuses a
    // frame whose content is longer, or shorter than its header says.
    unpacker.decompress_to_buffer(frame, &mut snapshot).map_err(|e| format!("it does not decompress: {e}"))?;
    Ok(Cow::Owned(snapshot))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes like a snapshot's: not compressible alone beyond a few times.
    fn snapshot_like(seed: u32, len: usize) -> Vec<u8> {
        let mut state = seed;
        (0..len)
            .map(|i| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                if i % 4 == 0 { (state >> 16) as u8 } else { (i % 7) as u8 }
            })
            .collect()
    }

    #[test]
    fn packs_and_unpacks_and_reads_what_was_stored_as_is() {
        let snapshot: Vec<u8> = (0..200_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let packed = pack(&snapshot, None).unwrap();
        assert!(packed.len() * 3 < snapshot.len(), "{} -> {}", snapshot.len(), packed.len());
        assert_eq!(dictionary_of(&packed), Ok(None));
        assert_eq!(unpack(&packed, None).unwrap().as_ref(), snapshot.as_slice());
        assert!(matches!(unpack(&snapshot, None).unwrap(), Cow::Borrowed(_)), "an earlier version's heap, as is");
    }

    #[test]
    fn a_heap_like_its_dictionary_packs_to_its_differences_and_needs_that_dictionary_back() {
        let base = snapshot_like(1, 400_000);
        let mut heap = base.clone();
        heap[1000..1100].copy_from_slice(&snapshot_like(2, 100));
        heap.extend_from_slice(&snapshot_like(3, 2000));
        let dictionary = Dictionary::new(HeapHash::of(&base), &base).unwrap();
        let alone = pack(&heap, None).unwrap();
        let packed = pack(&heap, Some(&dictionary)).unwrap();
        assert!(packed.len() * 20 < alone.len(), "alone {} bytes, against the base {}", alone.len(), packed.len());
        assert_eq!(dictionary_of(&packed), Ok(Some(HeapHash::of(&base))));
        assert_eq!(unpack(&packed, Some(&dictionary)).unwrap().as_ref(), heap.as_slice());
        assert!(unpack(&packed, None).unwrap_err().contains("needs dictionary"));
        let other = snapshot_like(4, 400_000);
        let other = Dictionary::new(HeapHash::of(&other), &other).unwrap();
        assert!(unpack(&packed, Some(&other)).unwrap_err().contains("needs dictionary"));
        // A heap packed alone needs none, whatever is given.
        assert_eq!(unpack(&alone, Some(&dictionary)).unwrap().as_ref(), heap.as_slice());
        // A header whose name is cut or not a hash.
        assert!(dictionary_of(&packed[..40]).is_err());
        let mut renamed = packed.clone();
        renamed[MAGIC_DICT.len()] = b'/';
        assert!(unpack(&renamed, Some(&dictionary)).unwrap_err().contains("names no dictionary"));
        // zstd's own dictionary format is not raw content.
        let mut trained = ZSTD_DICT_MAGIC.to_vec();
        trained.extend_from_slice(&base);
        assert!(Dictionary::new(HeapHash::of(&trained), &trained).is_none());
    }

    #[test]
    fn damaged_packs_are_refused() {
        let snapshot = vec![7u8; 100_000];
        let base = snapshot_like(5, 100_000);
        let dictionary = Dictionary::new(HeapHash::of(&base), &base).unwrap();
        for packed in [pack(&snapshot, None).unwrap(), pack(&snapshot, Some(&dictionary)).unwrap()] {
            let mut flipped = packed.clone();
            let last = flipped.len() - 6;
            flipped[last] ^= 0xff;
            assert!(unpack(&flipped, Some(&dictionary)).is_err(), "the frame's checksum catches a flipped byte");
            assert!(unpack(&packed[..packed.len() / 2], Some(&dictionary)).is_err(), "a truncated frame");
        }
        // A frame whose header does not give its size (it could be any).
        let mut encoder = zstd::stream::Encoder::new(MAGIC.to_vec(), 1).unwrap();
        std::io::Write::write_all(&mut encoder, &snapshot).unwrap();
        let unsized_frame = encoder.finish().unwrap();
        assert!(unpack(&unsized_frame, None).unwrap_err().contains("no valid header"));
    }
}
