//! V8's snapshot checksum, computed fast.
//!
//! Every V8 snapshot blob carries a checksum of its bytes, which V8 computes
//! twice each time it makes one (`SnapshotCreator::CreateBlob` writes it, then
//! `CHECK`s it). The V8 library that deno_core links is built without zlib, so
//! `v8::internal::Checksum` is a Fletcher-32 with two divisions per byte in
//! one dependency chain: about 3 ms for a session's 800 KB heap, 15% of the
//! CPU of a run under `--snapshot-policy every-run`.
//!
//! This module defines that function (by its C++ name) with the same result,
//! computed per block of bytes with the divisions taken once per block, 32
//! bytes side by side (in vector registers where the CPU has AVX2). V8's
//! own definition sits alone in its archive member (`snapshot-utils.o`), so
//! the linker takes ours and never pulls that member in (a second definition
//! would be a link error, not a silent choice).
//!
//! **Invariants:**
//! - The result is bit for bit V8's (`src/snapshot/snapshot-utils.cc`, the
//!   branch without `V8_USE_ZLIB`): checked against a transcription of it.
//!   V8 compares checksums it made itself, and checks a loaded snapshot only
//!   under `--verify-snapshot-checksum` (off in release builds); either way
//!   the values agree with V8's.
//! - If a later V8 renames the function or changes its signature, nothing
//!   refers to this symbol any more and V8's own is used: slower, never wrong.

/// Bytes summed between two reductions: the weighted sum of a block,
/// `Σ (n - k) · byte` ≤ 255 · n(n+1)/2, stays within `u32` for n ≤ 5,000.
const BLOCK: usize = 4096;

const MODULUS: u64 = 65535;

/// V8's `Checksum(base::Vector<const uint8_t>)`. A `base::Vector` is a
/// pointer and a length, trivially copyable, so it is passed as two
/// arguments in registers.
///
/// # Safety
/// V8 calls it with `length` readable bytes at `data` (or a length of 0).
#[unsafe(export_name = "_ZN2v88internal8ChecksumENS_4base6VectorIKhEE")]
pub unsafe extern "C" fn v8_snapshot_checksum(data: *const u8, length: usize) -> u32 {
    let bytes = if length == 0 || data.is_null() {
        &[][..]
    } else {
        // SAFETY: see above.
        unsafe { std::slice::from_raw_parts(data, length) }
    };
    fletcher32(bytes)
}

/// Fletcher-32 as V8 defines it: `sum1 = (sum1 + byte) % 65535`,
/// `sum2 = (sum2 + sum1) % 65535` over every byte, then `sum2 << 16 | sum1`.
/// Over a block of `n` bytes, `sum1` grows by the bytes' sum and `sum2` by
/// `n · sum1` plus each byte weighted by how many prefix sums it is part of.
fn fletcher32(bytes: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        return unsafe { fletcher32_avx2(bytes) };
    }
    fletcher32_blocks(bytes)
}

/// [`fletcher32_blocks`] compiled for AVX2: the lanes of [`block_sums`]
/// become vector registers, about 7 times the speed of the baseline build
/// (25 against 180 µs for a 730 KB heap).
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn fletcher32_avx2(bytes: &[u8]) -> u32 {
    fletcher32_blocks(bytes)
}

#[inline(always)]
fn fletcher32_blocks(bytes: &[u8]) -> u32 {
    let (mut sum1, mut sum2) = (0u64, 0u64);
    for block in bytes.chunks(BLOCK) {
        let (plain, weighted) = block_sums(block);
        sum2 = (sum2 + block.len() as u64 * sum1 + u64::from(weighted)) % MODULUS;
        sum1 = (sum1 + u64::from(plain)) % MODULUS;
    }
    ((sum2 << 16) | sum1) as u32
}

/// Bytes a block is summed over side by side.
const LANES: usize = 32;

/// A block's `Σ byte` and `Σ (n - k) · byte`. The bytes go into `LANES`
/// lanes by position; per chunk of `LANES` bytes, each lane's running sum is
/// first added to its prefix sum (`s2`), so after `m` chunks
/// `Σ s2 = Σ_j (m - 1 - j) · chunk_j` and a byte at lane `i` of chunk `j`
/// gets its weight `LANES · (m - 1 - j) + (LANES - i)` from the two. Bytes
/// past the last whole chunk are summed one by one, and weight every byte
/// before them by their count.
#[inline(always)]
fn block_sums(block: &[u8]) -> (u32, u32) {
    let chunks = block.chunks_exact(LANES);
    let tail = chunks.remainder();
    let (mut s1, mut s2) = ([0u32; LANES], [0u32; LANES]);
    for chunk in chunks {
        for i in 0..LANES {
            s2[i] += s1[i];
            s1[i] += u32::from(chunk[i]);
        }
    }
    let (mut plain, mut weighted) = (0u32, 0u32);
    for i in 0..LANES {
        plain += s1[i];
        weighted += LANES as u32 * s2[i] + (LANES - i) as u32 * s1[i];
    }
    weighted += tail.len() as u32 * plain;
    for (k, &byte) in tail.iter().enumerate() {
        plain += u32::from(byte);
        weighted += (tail.len() - k) as u32 * u32::from(byte);
    }
    (plain, weighted)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// V8's loop, transcribed.
    fn v8_reference(bytes: &[u8]) -> u32 {
        let (mut sum1, mut sum2) = (0u32, 0u32);
        for &byte in bytes {
            sum1 = (sum1 + u32::from(byte)) % 65535;
            sum2 = (sum2 + sum1) % 65535;
        }
        (sum2 << 16) | sum1
    }

    #[test]
    fn agrees_with_v8_on_edges_and_noise() {
        let mut cases: Vec<Vec<u8>> = vec![vec![], vec![0], vec![255], vec![1, 2, 3]];
        // Sums landing exactly on the modulus, and blocks ending mid-way.
        cases.push(vec![255; 257]);
        cases.push(vec![255; 65535 * 3]);
        for len in [BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 17] {
            cases.push(vec![255; len]);
        }
        // A xorshift stream: any length, any byte.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for len in [5, 100, 4097, 70_001, 800_000] {
            cases.push(
                (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        state as u8
                    })
                    .collect(),
            );
        }
        for bytes in &cases {
            assert_eq!(fletcher32(bytes), v8_reference(bytes), "{} bytes", bytes.len());
            assert_eq!(fletcher32_blocks(bytes), v8_reference(bytes), "{} bytes, baseline", bytes.len());
            // SAFETY: a live slice.
            assert_eq!(unsafe { v8_snapshot_checksum(bytes.as_ptr(), bytes.len()) }, v8_reference(bytes));
        }
        // SAFETY: a null pointer with length 0 is V8's empty vector.
        assert_eq!(unsafe { v8_snapshot_checksum(std::ptr::null(), 0) }, 0);
    }
}
