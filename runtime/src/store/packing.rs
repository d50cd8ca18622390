//! The stored form of a heap: its snapshot bytes compressed with zstd
//! (level 1: about 4x smaller, about a millisecond per heap either way).
//!
//! **Invariants:**
//! - A heap is named by the SHA-256 of its snapshot bytes, never of its
//!   stored form: [`unpack`] gives back exactly the bytes that were hashed,
//!   and the engine checks them against the name after unpacking.
//! - Stored bytes without the [`MAGIC`] prefix are a snapshot stored as is
//!   (by an earlier version): they stay loadable.
//! - Unpacking never allocates more than [`MAX_UNPACKED`] (the largest heap
//!   V8 can snapshot), whatever the stored bytes claim.

use std::borrow::Cow;

/// Starts every packed heap: "mcp-v8 zstd", version 1.
const MAGIC: &[u8; 8] = b"MV8ZSTD1";
/// zstd level: 1 compresses a heap about 4x at a fraction of a snapshot's cost.
const LEVEL: i32 = 1;
/// The largest snapshot V8 makes (and `--max-snapshot-bytes` allows).
pub const MAX_UNPACKED: u64 = 2 << 30;

/// The stored form of `snapshot`.
pub fn pack(snapshot: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut packed = Vec::with_capacity(MAGIC.len() + snapshot.len() / 3);
    packed.extend_from_slice(MAGIC);
    let mut encoder = zstd::stream::Encoder::new(packed, LEVEL)?;
    // The size in the frame header lets `unpack` allocate once, and check it.
    encoder.set_pledged_src_size(Some(snapshot.len() as u64))?;
    encoder.include_checksum(true)?;
    std::io::Write::write_all(&mut encoder, snapshot)?;
    encoder.finish()
}

/// The snapshot bytes of a stored heap (an error says why they cannot be had).
pub fn unpack(stored: &[u8]) -> Result<Cow<'_, [u8]>, String> {
    let Some(frame) = stored.strip_prefix(MAGIC.as_slice()) else {
        return Ok(Cow::Borrowed(stored));
    };
    let size = match zstd::zstd_safe::get_frame_content_size(frame) {
        Ok(Some(size)) if size <= MAX_UNPACKED => size,
        Ok(Some(size)) => return Err(format!("it claims {size} bytes, more than any heap")),
        Ok(None) | Err(_) => return Err("its compressed frame has no valid header".into()),
    };
    let mut snapshot = Vec::with_capacity(size as usize);
    let mut decoder = zstd::stream::Decoder::new(frame).map_err(|e| e.to_string())?;
    // One byte more than claimed shows a frame that lies about its size.
    let read = std::io::Read::read_to_end(&mut std::io::Read::take(&mut decoder, size + 1), &mut snapshot)
        .map_err(|e| format!("it does not decompress: {e}"))?;
    if read as u64 != size {
        return Err(format!("it decompresses to {read} bytes, not the {size} its header says"));
    }
    Ok(Cow::Owned(snapshot))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_unpacks_and_reads_what_was_stored_as_is() {
        let snapshot: Vec<u8> = (0..200_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let packed = pack(&snapshot).unwrap();
        assert!(packed.len() * 3 < snapshot.len(), "{} -> {}", snapshot.len(), packed.len());
        assert_eq!(unpack(&packed).unwrap().as_ref(), snapshot.as_slice());
        assert!(matches!(unpack(&snapshot).unwrap(), Cow::Borrowed(_)), "an earlier version's heap, as is");
    }

    #[test]
    fn damaged_packs_are_refused() {
        let snapshot = vec![7u8; 100_000];
        let packed = pack(&snapshot).unwrap();
        let mut flipped = packed.clone();
        let last = flipped.len() - 6;
        flipped[last] ^= 0xff;
        assert!(unpack(&flipped).is_err(), "the frame's checksum catches a flipped byte");
        assert!(unpack(&packed[..packed.len() / 2]).is_err(), "a truncated frame");
        // A frame whose header does not give its size (it could be any).
        let mut encoder = zstd::stream::Encoder::new(MAGIC.to_vec(), 1).unwrap();
        std::io::Write::write_all(&mut encoder, &snapshot).unwrap();
        let unsized_frame = encoder.finish().unwrap();
        assert!(unpack(&unsized_frame).unwrap_err().contains("no valid header"));
    }
}
