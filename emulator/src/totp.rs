//! RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s steps, the parameters authenticator apps and
//! Clerk use) over a base32 secret (RFC 4648, as in `otpauth://` URIs). Tests compute the
//! same codes from the secret they set; the control API also hands out the current one.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per TOTP step.
pub const PERIOD_SECS: u64 = 30;

/// Decodes an RFC 4648 base32 string (case-insensitive; spaces and `=` padding ignored).
/// `None` on any other character or an empty secret.
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut bits: u64 = 0;
    let mut n = 0u32;
    let mut out = Vec::new();
    for c in s.chars().filter(|c| *c != ' ' && *c != '=') {
        let v = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u64 - 'A' as u64,
            c @ '2'..='7' => c as u64 - '2' as u64 + 26,
            _ => return None,
        };
        bits = (bits << 5) | v;
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The HOTP value (RFC 4226) of `key` at `counter`, as `digits` decimal digits.
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> String {
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(key) else {
        // HMAC takes keys of any length; this branch is unreachable in practice.
        return String::new();
    };
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = (h[h.len() - 1] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]);
    let m = 10u32.pow(digits);
    format!("{:0width$}", bin % m, width = digits as usize)
}

/// The 6-digit TOTP code of a base32 `secret` at `unix_secs`; `None` if the secret is not
/// base32.
pub fn code_at(secret: &str, unix_secs: u64) -> Option<String> {
    let key = base32_decode(secret)?;
    Some(hotp(&key, unix_secs / PERIOD_SECS, 6))
}

/// Whether `code` is the TOTP code of `secret` at `unix_secs` or one step either side
/// (the clock-skew window authenticators are given).
pub fn verify(secret: &str, code: &str, unix_secs: u64) -> bool {
    [
        unix_secs.checked_sub(PERIOD_SECS),
        Some(unix_secs),
        unix_secs.checked_add(PERIOD_SECS),
    ]
    .into_iter()
    .flatten()
    .any(|t| code_at(secret, t).as_deref() == Some(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (8 digits), and their 6-digit tails.
    #[test]
    fn rfc6238_vectors() {
        let key = b"12345678901234567890";
        for (t, want) in [
            (59u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(hotp(key, t / PERIOD_SECS, 8), want, "t={t}");
        }
        // The same key in base32.
        let b32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert_eq!(base32_decode(b32).as_deref(), Some(&key[..]));
        assert_eq!(code_at(b32, 59).as_deref(), Some("287082"));
        assert!(verify(b32, "287082", 59));
        assert!(verify(b32, "287082", 59 + 30), "one step of skew");
        assert!(!verify(b32, "287082", 59 + 90));
        assert!(!verify(b32, "000000", 59));
    }

    #[test]
    fn bad_secrets() {
        assert_eq!(base32_decode(""), None);
        assert_eq!(base32_decode("ab1"), None);
        assert_eq!(code_at("not base32!", 0), None);
        assert!(!verify("!!", "123456", 0));
        assert_eq!(base32_decode("my======").as_deref(), Some(&b"f"[..]));
    }
}
