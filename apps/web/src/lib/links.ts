/**
 * The API's download links are absolute (MESHERY_PUBLIC_URL or the server's address). The console
 * follows them on its own origin, so they keep working behind a proxy (vite dev, a reverse proxy).
 */
export function sameOriginPath(url: string): string {
  try {
    const parsed = new URL(url, 'http://placeholder.invalid');
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}
