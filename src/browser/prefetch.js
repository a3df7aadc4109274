<script>
/* yew-clerk prefetch: starts the Clerk load requests while the wasm downloads.
   F = your Frontend API base (the proxy_url, or "https://" + the frontend API host);
   D = true for a development instance (pk_test_ key): then it needs the dev browser cookie. */
(function (F, D) {
  try {
    var m = document.cookie.match(/(?:^|; )__clerk_db_jwt=([^;]*)/);
    if (D && !m) return;
    var q = '?__clerk_api_version=2026-05-12' + (m ? '&__clerk_db_jwt=' + m[1] : ''), c = 'include';
    window.__clerk_prefetch = {
      '/v1/client': fetch(F + '/v1/client' + q, { credentials: c }),
      '/v1/environment': D ? fetch(F + '/v1/environment' + q + '&_method=PATCH', { method: 'POST', credentials: c,
        headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' }) : fetch(F + '/v1/environment' + q, { credentials: c })
    };
  } catch (e) {}
})('https://clerk.example.com', false);
</script>
