/**
 * Hides configured secrets in text that came from a server: a careless server may print its environment
 * on stderr or echo the Authorization header in an error page, and neither may reach the log or a status
 * text. Secrets are `${input:…}` answers, header values and env values under a name that marks a secret
 * (isSecretName); an ordinary env value (`MODE=development`, `ADV=paused`) is not one, and hiding it would
 * mangle ordinary words in every message ("Task ***-1").
 */
export type Redactor = (text: string) => string;

/**
 * Parts of environment variable names that mark their value as secret: API_TOKEN, OPENAI_API_KEY, apiKey,
 * CLIENT_SECRET, DB_PASSWORD, PGPASS, BASIC_AUTH, GOOGLE_APPLICATION_CREDENTIALS, PRIVATE_KEY, COOKIE,
 * SESSION_ID… Matched anywhere in the name, case-insensitively: hiding a harmless value now and then is
 * the cheaper mistake.
 */
const SECRET_NAME = /TOKEN|SECRET|PASSW(?:OR)?D|PASSPHRASE|PASS(?![A-Z])|KEY|AUTH|CREDENTIAL|PRIVATE|COOKIE|SESSION|SIGNATURE|SALT|DSN|CONNECTION_?STRING|BEARER|JWT/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

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
