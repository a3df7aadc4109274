//! SHA-1 (FIPS 180-4), for the one place the protocol uses it: the cookie suffix, which is the
//! digest of the publishable key (clerk-js's `getCookieSuffix`). It is an identifier, not a
//! security boundary, and it is computed once per engine, so speed does not matter here.
//!
//! Hand-written instead of the `sha1_smol` crate (still a dev-dependency: the tests compare
//! against it): that crate unrolls the 80 rounds for speed, which was 3.4 KB of the wasm
//! binary's code for hashing one short string. This is the specification's loop over a
//! rolling 16-word schedule (measured with `tools/size/measure.sh`, see `docs/SIZE.md`).

/// The 20-byte SHA-1 digest of `message`.
pub(crate) fn digest(message: &[u8]) -> [u8; 20] {
    let mut state: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    // The message, a 0x80 byte, zeros up to 56 mod 64, then its length in bits (big-endian).
    let bits = (message.len() as u64).wrapping_mul(8);
    let mut padded = message.to_vec();
    padded.push(0x80);
    while padded.len() % 64 != 56 {
        padded.push(0);
    }
    padded.extend_from_slice(&bits.to_be_bytes());
    for block in padded.chunks_exact(64) {
        compress(&mut state, block);
    }
    let mut out = [0u8; 20];
    for (bytes, word) in out.chunks_exact_mut(4).zip(state) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// One 64-byte block into the state.
fn compress(state: &mut [u32; 5], block: &[u8]) {
    let mut w = [0u32; 16];
    for (word, bytes) in w.iter_mut().zip(block.chunks_exact(4)) {
        *word = bytes.iter().fold(0, |acc, &b| acc << 8 | u32::from(b));
    }
    let [mut a, mut b, mut c, mut d, mut e] = *state;
    for t in 0..80 {
        if t >= 16 {
            // The schedule only ever looks 16 words back, so it lives in a ring of 16.
            w[t % 16] =
                (w[(t + 13) % 16] ^ w[(t + 8) % 16] ^ w[(t + 2) % 16] ^ w[t % 16]).rotate_left(1);
        }
        let (f, k) = match t / 20 {
            0 => ((b & c) | (!b & d), 0x5A82_7999),
            1 => (b ^ c ^ d, 0x6ED9_EBA1),
            2 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
            _ => (b ^ c ^ d, 0xCA62_C1D6),
        };
        let temp = a
            .rotate_left(5)
            .wrapping_add(f)
            .wrapping_add(e)
            .wrapping_add(k)
            .wrapping_add(w[t % 16]);
        e = d;
        d = c;
        c = b.rotate_left(30);
        b = a;
        a = temp;
    }
    for (s, v) in state.iter_mut().zip([a, b, c, d, e]) {
        *s = s.wrapping_add(v);
    }
}

#[cfg(test)]
mod tests {
    use super::digest;
    use proptest::prelude::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn fips_180_vectors() {
        assert_eq!(
            hex(&digest(b"")),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
        assert_eq!(
            hex(&digest(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        // 56 bytes: the padding needs a second block.
        assert_eq!(
            hex(&digest(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            hex(&digest(&vec![b'a'; 1_000_000])),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Every length around the block and padding boundaries, against the reference crate.
        #[test]
        fn prop_agrees_with_sha1_smol(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let expected = sha1_smol::Sha1::from(&bytes).digest().bytes();
            prop_assert_eq!(digest(&bytes), expected);
        }
    }
}
