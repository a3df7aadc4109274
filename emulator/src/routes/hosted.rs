//! Hosted Account Portal stand-ins: `GET /sign-in` and `GET /sign-up`.
//!
//! Plain HTML with a little inline JS that talks to this emulator's own `/v1`
//! endpoints. Like Clerk's Account Portal it honours `redirect_url` (and the
//! `sign_in_force_redirect_url`-style names), in the query or in the hash where
//! clerk-js's `buildSignInUrl()` puts them, and, for
//! development instances, uses the app's dev browser passed as
//! `__clerk_db_jwt` in its URL (so the new session lands on the app's client)
//! and appends `__clerk_db_jwt=<id>` to the redirect back.
//!
//! A session that comes back `pending` with the `choose-organization` task (the emulator's
//! `force_organization_selection`) is finished here before the redirect, as the Account
//! Portal's task step does: the page lists the user's organizations and selects the chosen one
//! with `POST …/touch`. Opening the page (e.g. clerk-js's task URL `/sign-in#/tasks/…`) while
//! the client's last active session is pending goes straight to that step.

use crate::http::Reply;
use crate::state::App;

const STYLE: &str =
    "body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}\
label{display:block;margin:.6rem 0 .2rem}input{width:100%;padding:.4rem;box-sizing:border-box}\
button{margin-top:1rem;padding:.5rem 1rem}#error{color:#b00020;min-height:1.2em;margin-top:.8rem}\
.hidden{display:none}";

/// The `choose-organization` task step (hidden until a pending session needs it).
const TASK: &str =
    "<div id=\"choose-organization\" class=\"hidden\"><h2>Choose an organization</h2>\
<p>This application requires an organization.</p><div id=\"organizations\"></div></div>";

/// Shared JS: FAPI calls with the dev browser and the redirect back.
const COMMON_JS: &str = r#"
// clerk-js puts the redirect parameters in the hash (`/sign-in?__clerk_db_jwt=…#/?redirect_url=…`),
// like Clerk's Account Portal router; read both the query and the hash.
const params = new URLSearchParams(location.search);
const hashQuery = location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?') + 1) : '';
for (const [k, v] of new URLSearchParams(hashQuery)) if (!params.has(k)) params.set(k, v);
const DEV = document.body.dataset.instance === 'development';
let dvb = params.get('__clerk_db_jwt');
const API_VERSION = '2026-05-12';
function redirectTarget() {
  const names = ['sign_in_force_redirect_url', 'sign_up_force_redirect_url', 'redirect_url',
    'sign_in_fallback_redirect_url', 'sign_up_fallback_redirect_url', 'after_sign_in_url', 'after_sign_up_url'];
  let target = names.map((n) => params.get(n)).find(Boolean) || '/';
  let url;
  try { url = new URL(target, location.href); } catch (e) { url = new URL('/', location.href); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') url = new URL('/', location.href);
  if (DEV && dvb) url.searchParams.set('__clerk_db_jwt', dvb);
  return url.toString();
}
async function ensureDevBrowser() {
  if (!DEV || dvb) return;
  const r = await fetch('/v1/dev_browser?__clerk_api_version=' + API_VERSION, { method: 'POST' });
  dvb = (await r.json()).id;
}
function fapiUrl(path) {
  const q = new URLSearchParams({ __clerk_api_version: API_VERSION });
  if (DEV && dvb) q.set('__clerk_db_jwt', dvb);
  return '/v1' + path + '?' + q;
}
function sessionIn(client, id) { return ((client && client.sessions) || []).find((x) => x.id === id); }
let lastClient = null;
async function fapi(path, fields) {
  await ensureDevBrowser();
  const r = await fetch(fapiUrl(path), {
    method: 'POST', credentials: 'include',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const json = await r.json().catch(() => ({}));
  if (json.client) lastClient = json.client;
  if (!r.ok) {
    const e = (json.errors && json.errors[0]) || {};
    throw new Error(e.long_message || e.message || ('HTTP ' + r.status));
  }
  return json.response;
}
function showError(e) { document.getElementById('error').textContent = e.message || String(e); }
// On load: a client whose last active session is still pending goes straight to its task
// (clerk-js sends it to `<sign-in>#/tasks/<key>`; a plain visit of the page does the same).
async function resumeTask() {
  if (DEV && !dvb) return;
  const r = await fetch(fapiUrl('/client'), { credentials: 'include' });
  const c = (await r.json().catch(() => ({}))).response;
  const s = c && sessionIn(c, c.last_active_session_id);
  if (s && s.status === 'pending') { lastClient = c; finish(s.id); }
}
resumeTask().catch(showError);
// After a completed sign-in or sign-up: redirect back, or first finish the session's
// `choose-organization` task.
function finish(sessionId) {
  const s = sessionIn(lastClient, sessionId);
  const task = s && s.status === 'pending' && (s.tasks || []).find((t) => t.key === 'choose-organization');
  if (!task) { location.assign(redirectTarget()); return; }
  for (const f of document.querySelectorAll('form')) f.classList.add('hidden');
  for (const a of document.querySelectorAll('#to-sign-up, #to-sign-in')) a.parentElement.classList.add('hidden');
  const box = document.getElementById('choose-organization');
  box.classList.remove('hidden');
  const list = document.getElementById('organizations');
  const memberships = (s.user && s.user.organization_memberships) || [];
  if (!memberships.length) list.textContent = 'You are not a member of any organization.';
  for (const m of memberships) {
    const b = document.createElement('button');
    b.type = 'button'; b.className = 'organization'; b.dataset.organizationId = m.organization.id;
    b.textContent = m.organization.name;
    b.addEventListener('click', async () => {
      try {
        await fapi('/client/sessions/' + s.id + '/touch',
          { active_organization_id: m.organization.id, intent: 'select_org' });
        location.assign(redirectTarget());
      } catch (e) { showError(e); }
    });
    list.appendChild(b);
  }
}
"#;

fn page(app: &App, title: &str, body: &str, script: &str) -> Reply {
    let html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title} · Clerk emulator</title>\
         <style>{STYLE}</style></head><body data-instance=\"{inst}\"><h1>{title}</h1>{body}{TASK}\
         <p id=\"error\" role=\"alert\"></p><script>{COMMON_JS}{script}</script></body></html>",
        inst = app.instance.kind.as_str()
    );
    Reply::html(html).with_header("cache-control", "no-store")
}

/// `GET /sign-in`: email + password.
pub fn sign_in(app: &App) -> Reply {
    let body = r#"<form id="sign-in-form">
<label for="identifier">Email address</label><input id="identifier" name="identifier" type="email" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button id="submit" type="submit">Sign in</button></form>
<p><a id="to-sign-up" href="/sign-up">Create an account</a></p>"#;
    let script = r#"
document.getElementById('to-sign-up').search = location.search;
document.getElementById('to-sign-up').hash = location.hash;
document.getElementById('sign-in-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  document.getElementById('error').textContent = '';
  try {
    const si = await fapi('/client/sign_ins', {
      identifier: document.getElementById('identifier').value,
      password: document.getElementById('password').value,
      strategy: 'password',
    });
    if (si.status === 'complete') finish(si.created_session_id);
    else showError(new Error('Sign-in needs more steps: ' + si.status));
  } catch (e) { showError(e); }
});"#;
    page(app, "Sign in", body, script)
}

/// `GET /sign-up`: email + password (+ names), then the emailed code.
pub fn sign_up(app: &App) -> Reply {
    let body = r#"<form id="sign-up-form">
<label for="first_name">First name</label><input id="first_name" name="first_name">
<label for="last_name">Last name</label><input id="last_name" name="last_name">
<label for="email_address">Email address</label><input id="email_address" name="email_address" type="email" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password" required>
<button id="submit" type="submit">Continue</button></form>
<form id="verify-form" class="hidden">
<p>Enter the code sent to your email address (see <code>GET /__emulator/verification_codes?email=…</code>).</p>
<label for="code">Verification code</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
<button id="verify" type="submit">Verify</button></form>
<p><a id="to-sign-in" href="/sign-in">Sign in instead</a></p>"#;
    let script = r#"
document.getElementById('to-sign-in').search = location.search;
document.getElementById('to-sign-in').hash = location.hash;
let signUpId = null;
document.getElementById('sign-up-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  document.getElementById('error').textContent = '';
  try {
    const fields = {
      email_address: document.getElementById('email_address').value,
      password: document.getElementById('password').value,
    };
    for (const k of ['first_name', 'last_name']) {
      const v = document.getElementById(k).value; if (v) fields[k] = v;
    }
    const su = await fapi('/client/sign_ups', fields);
    signUpId = su.id;
    await fapi('/client/sign_ups/' + signUpId + '/prepare_verification', { strategy: 'email_code' });
    document.getElementById('sign-up-form').classList.add('hidden');
    document.getElementById('verify-form').classList.remove('hidden');
  } catch (e) { showError(e); }
});
document.getElementById('verify-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  document.getElementById('error').textContent = '';
  try {
    const su = await fapi('/client/sign_ups/' + signUpId + '/attempt_verification', {
      strategy: 'email_code', code: document.getElementById('code').value,
    });
    if (su.status === 'complete') finish(su.created_session_id);
    else showError(new Error('Sign-up incomplete: missing ' + su.missing_fields.join(', ')));
  } catch (e) { showError(e); }
});"#;
    page(app, "Sign up", body, script)
}

/// `GET /`: a short index of what this server is.
pub fn index(app: &App) -> Reply {
    let i = &app.instance;
    let body = format!(
        "<p>Local emulator of Clerk's Frontend API ({kind} instance).</p>\
         <p>Publishable key: <code id=\"publishable-key\">{pk}</code></p>\
         <p><a href=\"/sign-in\">Sign in</a> · <a href=\"/sign-up\">Sign up</a> · \
         <a href=\"/__emulator/config\">config</a> · <a href=\"/.well-known/jwks.json\">JWKS</a></p>",
        kind = i.kind.as_str(),
        pk = i.publishable_key
    );
    page(app, "Clerk emulator", &body, "")
}
