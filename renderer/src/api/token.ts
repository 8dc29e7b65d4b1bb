const KEY = 'jetty.apiToken';

/**
 * The local API token for `jetty serve`. It arrives in the URL fragment (`#token=…`, which
 * never reaches the server's logs), is kept in sessionStorage for reloads, and is removed
 * from the address bar so it does not end up in bookmarks or screenshots.
 */
export function takeApiToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(KEY);
}
