//! Base64 the way the protocol uses it: decoding publishable keys (as the browser's `atob`
//! reads them) and JWT segments (base64url), encoding the cookie suffix and test keys.
//!
//! Hand-written instead of the `base64` crate (still a dev-dependency: the tests compare
//! against it): its generic engine, inlined at each call site, was ~4 KB of the wasm binary
//! for what is a 6-bit table lookup here (measured with `tools/size/measure.sh`).

/// Which 62nd and 63rd characters.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alphabet {
    /// `+` and `/` (publishable keys).
    Standard,
    /// `-` and `_` (JWT segments, the cookie suffix).
    UrlSafe,
}

impl Alphabet {
    fn symbols(self) -> &'static [u8; 64] {
        match self {
            Alphabet::Standard => {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            }
            Alphabet::UrlSafe => {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            }
        }
    }
}

/// The WHATWG "forgiving-base64 decode" (what `atob` does), in either alphabet: ASCII white
/// space is removed; when the length is a multiple of 4, one or two trailing `=` are dropped;
/// a length of `4n + 1` or any character outside the alphabet fails. Unused trailing bits are
/// ignored.
pub(crate) fn decode(input: &str, alphabet: Alphabet) -> Option<Vec<u8>> {
    let mut data: Vec<u8> = input
        .bytes()
        .filter(|b| !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' '))
        .collect();
    if data.len() % 4 == 0 {
        if data.ends_with(b"==") {
            data.truncate(data.len() - 2);
        } else if data.ends_with(b"=") {
            data.truncate(data.len() - 1);
        }
    }
    if data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits: u32 = 0;
    for byte in data {
        let value = match (byte, alphabet) {
            (b'A'..=b'Z', _) => byte - b'A',
            (b'a'..=b'z', _) => byte - b'a' + 26,
            (b'0'..=b'9', _) => byte - b'0' + 52,
            (b'+', Alphabet::Standard) | (b'-', Alphabet::UrlSafe) => 62,
            (b'/', Alphabet::Standard) | (b'_', Alphabet::UrlSafe) => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// Encodes without padding.
pub(crate) fn encode(bytes: &[u8], alphabet: Alphabet) -> String {
    let symbols = alphabet.symbols();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(symbols[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    use base64::Engine as _;

    #[test]
    fn round_trips_agree_with_the_base64_crate() {
        for len in 0..64usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8 ^ 0xa5).collect();
            let std = encode(&bytes, Alphabet::Standard);
            let url = encode(&bytes, Alphabet::UrlSafe);
            assert_eq!(std, STANDARD_NO_PAD.encode(&bytes));
            assert_eq!(url, URL_SAFE_NO_PAD.encode(&bytes));
            assert_eq!(decode(&std, Alphabet::Standard).unwrap(), bytes);
            assert_eq!(decode(&url, Alphabet::UrlSafe).unwrap(), bytes);
        }
    }

    #[test]
    fn forgiving_rules() {
        assert_eq!(decode("YWI=", Alphabet::Standard).unwrap(), b"ab");
        assert_eq!(decode("YQ==", Alphabet::Standard).unwrap(), b"a");
        assert_eq!(decode(" Y W\nI ", Alphabet::Standard).unwrap(), b"ab");
        assert!(decode("YWJjZ", Alphabet::Standard).is_none()); // 4n + 1
        assert!(decode("YQ=", Alphabet::Standard).is_none()); // `=` only when len % 4 == 0
        assert!(decode("-_", Alphabet::Standard).is_none());
        assert!(decode("+/", Alphabet::UrlSafe).is_none());
        assert_eq!(decode("-_8", Alphabet::UrlSafe).unwrap(), [0xfb, 0xff]);
    }
}

/// Property tests (`cargo test prop_`): agreement with the `base64` crate.
#[cfg(test)]
mod props {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::test_support::{within, CASE_LIMIT};
    use base64::alphabet;
    use base64::engine::general_purpose::{
        GeneralPurpose, GeneralPurposeConfig, STANDARD, URL_SAFE,
    };
    use base64::engine::{DecodePaddingMode, Engine as _};
    use proptest::prelude::*;

    /// The crate's decoder with `atob`'s leniency on padding and trailing bits.
    fn lenient(alphabet: &alphabet::Alphabet) -> GeneralPurpose {
        GeneralPurpose::new(
            alphabet,
            GeneralPurposeConfig::new()
                .with_decode_allow_trailing_bits(true)
                .with_decode_padding_mode(DecodePaddingMode::Indifferent),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn prop_round_trips_and_agrees_with_the_base64_crate(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let std = encode(&bytes, Alphabet::Standard);
            let url = encode(&bytes, Alphabet::UrlSafe);
            prop_assert_eq!(&std, &base64::engine::general_purpose::STANDARD_NO_PAD.encode(&bytes));
            prop_assert_eq!(&url, &base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes));
            prop_assert_eq!(decode(&std, Alphabet::Standard), Some(bytes.clone()));
            prop_assert_eq!(decode(&url, Alphabet::UrlSafe), Some(bytes.clone()));
            // Padded forms (what `atob` also reads).
            prop_assert_eq!(decode(&STANDARD.encode(&bytes), Alphabet::Standard), Some(bytes.clone()));
            prop_assert_eq!(decode(&URL_SAFE.encode(&bytes), Alphabet::UrlSafe), Some(bytes.clone()));
        }

        #[test]
        fn prop_decodes_alphabet_text_like_the_base64_crate(text in "[A-Za-z0-9+/]{0,200}") {
            let ours = decode(&text, Alphabet::Standard);
            let theirs = lenient(&alphabet::STANDARD).decode(&text).ok();
            prop_assert_eq!(ours.is_some(), text.len() % 4 != 1);
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn prop_decode_never_panics_on_arbitrary_text(text in any::<String>(), url in any::<bool>()) {
            let alphabet = if url { Alphabet::UrlSafe } else { Alphabet::Standard };
            let out = within(CASE_LIMIT, move || decode(&text, alphabet).map(|b| (b.len(), text.len())));
            if let Some((decoded, input)) = out {
                prop_assert!(decoded <= input * 3 / 4 + 1);
            }
        }
    }
}
