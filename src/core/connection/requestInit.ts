/**
 * The HTTP transports' `requestInit` option (both SDK generations), only when there are headers to send: the
 * transports spread it into every request's options and copy its headers per request, which cost every poll
 * 1–2 µs for nothing when it is empty (bench rows 3.http.list and 3.2026.http.get). A file of its own so that
 * the 2026 bundle (dist/modern.js) takes it without the 2025 transports.
 */
export function requestInitOption(headers: Readonly<Record<string, string>>): { requestInit?: RequestInit } {
  return Object.keys(headers).length > 0 ? { requestInit: { headers: { ...headers } } } : {};
}
