<script>
/* yew-clerk prefetch: starts the Clerk load requests while the wasm downloads.
   F = Frontend API base (proxy_url, or "https://" + frontend API host); D = development
   instance (pk_test_): needs the dev browser cookie, __clerk_db_jwt_S first (S = key suffix). */
(function (F, D, S) {
  try {
    var c = function (n) {
        var m = document.cookie.match(new RegExp('(?:^|; )' + n + '=([^;]*)'));
        return m ? m[1] : null;
      },
      j = D && S ? c('__clerk_db_jwt_' + S) : null;
    if (D && j == null) j = c('__clerk_db_jwt');
    if (D && !j) return;
    try { j = j && decodeURIComponent(j) } catch (e) {}
    var q = '?__clerk_api_version=2026-05-12' + (j ? '&__clerk_db_jwt=' + encodeURIComponent(j) : ''),
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
})('https://clerk.example.com', false, '');
</script>
