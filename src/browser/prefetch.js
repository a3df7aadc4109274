<script>
/* yew-clerk prefetch: starts the Clerk load requests while the wasm downloads; keeps the
   responses so the app can use them in its first render.
   F = your Frontend API base (the proxy_url, or "https://" + the frontend API host);
   D = true for a development instance (pk_test_ key): it then needs the dev browser cookie. */
(function (F, D) {
  try {
    var m = document.cookie.match(/(?:^|; )__clerk_db_jwt=([^;]*)/);
    if (D && !m) return;
    var q = '?__clerk_api_version=2026-05-12' + (m ? '&__clerk_db_jwt=' + m[1] : ''),
      P = window.__clerk_prefetch = {},
      g = function (p, x, o) {
        var e = P[p] = {};
        o.credentials = 'include';
        e.promise = fetch(F + p + q + x, o).then(function (r) {
          return r.text().then(function (t) {
            e.status = r.status; e.db = r.headers.get('clerk-db-jwt'); e.text = t; return e });
        });
        e.promise.catch(function () {});
      };
    g('/v1/client', '', {});
    g('/v1/environment', D ? '&_method=PATCH' : '', D ? { method: 'POST', body: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {});
  } catch (e) {}
})('https://clerk.example.com', false);
</script>
