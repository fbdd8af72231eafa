/**
 * Hides configured secrets (env and header values) in text that came from a server: a careless server
 * may print its environment on stderr or echo the Authorization header in an error page, and neither
 * may reach the log or a status text.
 */
export type Redactor = (text: string) => string;

/** Short values ("1", "true") are too common to hide without mangling ordinary text. */
const MIN_SECRET_LENGTH = 6;
const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Digest)\s+(.+)$/i;

export function makeRedactor(values: Iterable<string>): Redactor {
  const secrets = new Set<string>();
  for (const value of values) {
    const token = AUTH_SCHEME.exec(value)?.[1];
    for (const v of [value, token]) {
      if (v !== undefined && v.length >= MIN_SECRET_LENGTH) {
        secrets.add(v);
      }
    }
  }
  // Longest first, so a token inside a longer header value does not leave the rest of it behind.
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) {
    return (text) => text;
  }
  return (text) => ordered.reduce((out, secret) => out.split(secret).join('***'), text);
}
