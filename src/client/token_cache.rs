//! The in-memory session-token cache (clerk-js `tokenCache.ts`): one entry per
//! `[sessionId, template, orgId]`, a still-valid token plus at most one request in flight whose
//! result every concurrent caller shares.

use super::oneshot;

use crate::core::claims::{SessionToken, TokenId};
use crate::error::ClerkError;

/// A token with this much time left (or less) is never handed out (clerk-js: the poller
/// interval, 5 s), so a caller never sends a token that expires in flight.
pub(crate) const MIN_REMAINING_MS: i64 = 5_000;

/// The cache key of a token: [`TokenId`]'s text (the cache is keyed by it as a `String`).
pub(crate) fn token_id(
    session_id: &str,
    template: Option<&str>,
    organization_id: Option<&str>,
) -> String {
    TokenId::new(session_id, template, organization_id).into_string()
}

/// Whether `token_id` belongs to `session_id` (`sess_1`, `sess_1-…`).
pub(crate) fn belongs_to(token_id: &str, session_id: &str) -> bool {
    TokenId::is_of_session(token_id, session_id)
}

/// Milliseconds left before the token expires (saturating: token times are untrusted input).
pub(crate) fn remaining_ms(token: &SessionToken, now_ms: i64) -> i64 {
    token
        .claims()
        .exp
        .saturating_mul(1000)
        .saturating_sub(now_ms)
}

/// How far ahead of FAPI's (estimated) clock a token may claim to be issued: the skew
/// estimate ignores differences up to 10 s, `iat` is rounded down to the second, and the
/// other tab's estimate may differ from ours.
const MAX_IAT_AHEAD_MS: i64 = 30_000;
/// Longest lifetime accepted from a source we cannot ask FAPI about (another tab, the
/// cookie): Clerk's session tokens live a minute, template tokens at most hours in practice.
const MAX_UNTRUSTED_LIFETIME_S: i64 = 24 * 3600;

/// Whether the times of a token from an untrusted source (another tab, a cookie) are sane:
/// issued (`iat`, and `oiat` when present, which ranks freshness) not after FAPI's `now`
/// beyond the skew allowance, `exp` after `iat`, and a bounded lifetime. A forged far-future
/// `iat` would otherwise outrank every token FAPI mints and pin the cache.
pub(crate) fn plausible_times(token: &SessionToken, server_now_ms: i64) -> bool {
    let claims = token.claims();
    let latest_issue = server_now_ms.saturating_add(MAX_IAT_AHEAD_MS);
    let issued_ok = |secs: i64| secs > 0 && secs.saturating_mul(1000) <= latest_issue;
    issued_ok(claims.iat)
        && token.header().oiat.is_none_or(issued_ok)
        && claims.exp > claims.iat
        && claims.exp.saturating_sub(claims.iat) <= MAX_UNTRUSTED_LIFETIME_S
}

/// Where a token offered to the cache comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// FAPI itself: a token response, or the client's `last_active_token`.
    Fapi,
    /// Another tab's broadcast (checked for plausibility by the caller first).
    OtherTab,
}

/// Whether the held token stays over `incoming` (clerk-js's `pickFreshestJwt` and its
/// cookie guard): only a token still valid at `now_ms` is a baseline, and it stays only
/// when strictly fresher ([`SessionToken::freshness`]; a full tie takes the incoming one).
/// FAPI's own answer is compared only with a held token of its kind (both with `oiat` or
/// both without), so a rollout or rollback of the header, or the session minter switched
/// off, never pins an old token; another tab's token without `oiat` ranks below one with it.
fn held_stays(held: &SessionToken, incoming: &SessionToken, now_ms: i64, source: Source) -> bool {
    if remaining_ms(held, now_ms) <= 0 {
        return false;
    }
    let same_kind = held.header().oiat.is_some() == incoming.header().oiat.is_some();
    if source == Source::Fapi && !same_kind {
        return false;
    }
    held.freshness() > incoming.freshness()
}

/// What callers waiting for a shared request receive.
pub(crate) type TokenResult = Result<SessionToken, ClerkError>;

#[derive(Default)]
struct Entry {
    token: Option<SessionToken>,
    /// The request in flight: its ticket and the callers waiting for it.
    pending: Option<(u64, Vec<oneshot::Sender<TokenResult>>)>,
}

/// What [`TokenCache::lookup`] found.
pub(crate) enum Lookup {
    /// The raw JWT of a token with more than [`MIN_REMAINING_MS`] left.
    Fresh(String),
    /// A request is in flight: wait for it.
    Wait(oneshot::Receiver<TokenResult>),
    /// Nothing usable: the caller must start a request.
    Miss,
}

/// The entries by token id. A list rather than a `HashMap`: a page holds a handful of
/// tokens (one per signed-in session, organization and template, and the entries of ended
/// sessions are dropped), and a `HashMap<String, Entry>` brings its own copy of hashbrown's
/// table code into the wasm (measured: `docs/SIZE.md`).
#[derive(Default)]
struct Entries(Vec<(String, Entry)>);

impl Entries {
    fn get(&self, id: &str) -> Option<&Entry> {
        self.0.iter().find(|(k, _)| k == id).map(|(_, e)| e)
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut Entry> {
        self.0.iter_mut().find(|(k, _)| k == id).map(|(_, e)| e)
    }

    /// The entry of `id`, created empty when missing.
    fn get_or_default(&mut self, id: &str) -> &mut Entry {
        let at = match self.0.iter().position(|(k, _)| k == id) {
            Some(at) => at,
            None => {
                self.0.push((id.to_string(), Entry::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[at].1
    }

    fn remove(&mut self, id: &str) {
        self.0.retain(|(k, _)| k != id);
    }

    fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.0.retain(|(k, _)| keep(k));
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.0.iter().map(|(k, e)| (k.as_str(), e))
    }

    fn clear(&mut self) {
        self.0.clear();
    }
}

/// The cache. Never persisted.
#[derive(Default)]
pub(crate) struct TokenCache {
    entries: Entries,
    next_ticket: u64,
}

impl TokenCache {
    /// A usable token, or the request in flight to wait for, or a miss.
    pub(crate) fn lookup(&mut self, id: &str, now_ms: i64) -> Lookup {
        let Some(entry) = self.entries.get_mut(id) else {
            return Lookup::Miss;
        };
        if let Some(token) = &entry.token {
            if remaining_ms(token, now_ms) > MIN_REMAINING_MS {
                return Lookup::Fresh(token.raw().to_string());
            }
        }
        match &mut entry.pending {
            Some((_, waiters)) => {
                let (tx, rx) = oneshot::channel();
                waiters.push(tx);
                Lookup::Wait(rx)
            }
            None => Lookup::Miss,
        }
    }

    /// The cached token, whatever its age.
    pub(crate) fn peek(&self, id: &str) -> Option<&SessionToken> {
        self.entries.get(id).and_then(|e| e.token.as_ref())
    }

    /// Joins the request in flight for `id`, if any (whatever the cached token's age).
    pub(crate) fn join(&mut self, id: &str) -> Option<oneshot::Receiver<TokenResult>> {
        let (_, waiters) = self.entries.get_mut(id)?.pending.as_mut()?;
        let (tx, rx) = oneshot::channel();
        waiters.push(tx);
        Some(rx)
    }

    /// The issuer (`iss`) of a token FAPI gave us for `session_id`: the anchor a token from
    /// another tab must match.
    pub(crate) fn issuer_of(&self, session_id: &str) -> Option<&str> {
        self.entries
            .iter()
            .filter(|(k, _)| belongs_to(k, session_id))
            .find_map(|(_, e)| e.token.as_ref()?.claims().iss.as_deref())
    }

    /// Registers a request in flight (the old token stays readable meanwhile); returns its
    /// ticket and a receiver for its result.
    pub(crate) fn begin(&mut self, id: &str) -> (u64, oneshot::Receiver<TokenResult>) {
        self.next_ticket += 1;
        let ticket = self.next_ticket;
        let entry = self.entries.get_or_default(id);
        let mut waiters = match entry.pending.take() {
            // A second request for the same key (skip_cache): its callers share the newest.
            Some((_, w)) => w,
            None => Vec::new(),
        };
        let (tx, rx) = oneshot::channel();
        waiters.push(tx);
        entry.pending = Some((ticket, waiters));
        (ticket, rx)
    }

    /// Finishes the request `ticket`: stores a new token and wakes the waiters. Returns false
    /// (and stores nothing) when the entry was cleared or superseded meanwhile.
    pub(crate) fn finish(
        &mut self,
        id: &str,
        ticket: u64,
        result: TokenResult,
        now_ms: i64,
    ) -> bool {
        let Some(entry) = self.entries.get_mut(id) else {
            return false;
        };
        if !matches!(entry.pending, Some((t, _)) if t == ticket) {
            return false;
        }
        let waiters = entry.pending.take().map(|(_, w)| w).unwrap_or_default();
        if let Ok(token) = &result {
            // A fresher token may have arrived from another tab meanwhile: keep it.
            if entry
                .token
                .as_ref()
                .is_none_or(|held| !held_stays(held, token, now_ms, Source::Fapi))
            {
                entry.token = Some(token.clone());
            }
        } else if entry.token.is_none() {
            self.entries.remove(id);
        }
        for w in waiters {
            let _ = w.send(result.clone());
        }
        true
    }

    /// Detaches the waiters of request `ticket` without storing anything (the caller delivers
    /// the result itself, e.g. after re-reading the client). `None` when superseded.
    pub(crate) fn take_waiters(
        &mut self,
        id: &str,
        ticket: u64,
    ) -> Option<Vec<oneshot::Sender<TokenResult>>> {
        let entry = self.entries.get_mut(id)?;
        if !matches!(entry.pending, Some((t, _)) if t == ticket) {
            return None;
        }
        let waiters = entry.pending.take().map(|(_, w)| w);
        if entry.token.is_none() {
            self.entries.remove(id);
        }
        waiters
    }

    /// Stores `token` unless the held one stays ([`held_stays`]). Returns whether it was
    /// stored.
    pub(crate) fn offer(
        &mut self,
        id: &str,
        token: SessionToken,
        now_ms: i64,
        source: Source,
    ) -> bool {
        let entry = self.entries.get_or_default(id);
        let fresher = entry
            .token
            .as_ref()
            .is_none_or(|held| !held_stays(held, &token, now_ms, source));
        if fresher {
            entry.token = Some(token);
        }
        fresher
    }

    /// Drops every entry of a session (its waiters see their request cancelled).
    pub(crate) fn remove_session(&mut self, session_id: &str) {
        self.entries.retain(|k| !belongs_to(k, session_id));
    }

    /// Drops every entry whose session is not in `keep`.
    pub(crate) fn retain_sessions(&mut self, keep: &[&str]) {
        self.entries
            .retain(|k| keep.iter().any(|sid| belongs_to(k, sid)));
    }

    /// Drops everything.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn belongs_to_matches_whole_session_ids() {
        // token_id itself is tested in core::claims.
        assert!(belongs_to("sess_1-org_9", "sess_1"));
        assert!(!belongs_to("sess_10", "sess_1"));
    }

    /// An unsigned token with this `oiat` header (when given) and `iat`.
    fn token(oiat: Option<i64>, iat: i64) -> SessionToken {
        let b64 = |v: &str| {
            use ::base64::Engine as _;
            ::base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v)
        };
        let header = match oiat {
            Some(oiat) => format!(r#"{{"alg":"RS256","typ":"JWT","oiat":{oiat}}}"#),
            None => r#"{"alg":"RS256","typ":"JWT"}"#.to_string(),
        };
        let payload = format!(
            r#"{{"sub":"user_1","sid":"sess_1","iat":{iat},"exp":{}}}"#,
            iat + 60
        );
        SessionToken::decode(&format!("{}.{}.c2ln", b64(&header), b64(&payload))).unwrap()
    }

    #[test]
    fn offer_keeps_the_freshest_in_clerk_js_order() {
        let now = 200_000; // ms: every token below lives until iat + 60 s.
        let mut cache = TokenCache::default();
        assert!(cache.offer("sess_1", token(Some(100), 190), now, Source::OtherTab));
        // Re-minted by the session minter: same oiat, later iat.
        assert!(cache.offer("sess_1", token(Some(100), 195), now, Source::OtherTab));
        // A full tie is adopted (clerk-js's pickFreshestJwt returns the incoming token).
        assert!(cache.offer("sess_1", token(Some(100), 195), now, Source::OtherTab));
        // An older mint, and another tab's token without oiat, are not fresher.
        assert!(!cache.offer("sess_1", token(Some(100), 180), now, Source::OtherTab));
        assert!(!cache.offer("sess_1", token(None, 199), now, Source::OtherTab));
        assert!(cache.offer("sess_1", token(Some(101), 150), now, Source::OtherTab));
    }

    #[test]
    fn fapi_token_without_oiat_replaces_a_held_one_with_it() {
        // The header rolled back (or the minter was switched off): FAPI's own answer is no
        // less fresh for lacking `oiat`, as clerk-js's cookie guard treats it.
        let now = 200_000;
        let mut cache = TokenCache::default();
        assert!(cache.offer("sess_1", token(Some(100), 150), now, Source::OtherTab));
        let (ticket, _rx) = cache.begin("sess_1");
        assert!(cache.finish("sess_1", ticket, Ok(token(None, 195)), now));
        assert_eq!(cache.peek("sess_1").unwrap().claims().iat, 195);
        // The same through the client's `last_active_token`.
        assert!(cache.offer("sess_1", token(Some(300), 196), now, Source::OtherTab));
        assert!(cache.offer("sess_1", token(None, 197), now, Source::Fapi));
        assert_eq!(cache.peek("sess_1").unwrap().claims().iat, 197);
    }

    #[test]
    fn an_expired_token_is_no_baseline() {
        let mut cache = TokenCache::default();
        // Fresher by oiat, but expired (iat 100 s, exp 160 s) at 200 s.
        assert!(cache.offer("sess_1", token(Some(500), 100), 100_000, Source::OtherTab));
        assert!(cache.offer("sess_1", token(Some(400), 190), 200_000, Source::OtherTab));
        assert_eq!(cache.peek("sess_1").unwrap().claims().iat, 190);
    }

    #[test]
    fn a_fresher_token_from_another_tab_survives_our_older_answer() {
        let now = 200_000;
        let mut cache = TokenCache::default();
        let (ticket, _rx) = cache.begin("sess_1");
        assert!(cache.offer("sess_1", token(Some(200), 195), now, Source::OtherTab));
        assert!(cache.finish("sess_1", ticket, Ok(token(Some(100), 190)), now));
        assert_eq!(cache.peek("sess_1").unwrap().claims().iat, 195);
    }
}
