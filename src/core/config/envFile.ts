/**
 * `.env` files as dotenv writes them: KEY=VALUE, `#` comments, `export ` prefixes, single/double/backtick
 * quotes (double quotes understand \n and friends, and may span lines). Problems name the line, never the
 * value: these files hold secrets.
 *
 * Not `node:util` `parseEnv`: it reports no problems at all (a malformed line or an unclosed quote is
 * dropped or misread silently, so there is no line number to give), Node 20's version folds a malformed
 * line into the next key (`"bad line\nNEXT"`, leaking the line into a key name), ends an unquoted value at
 * any '#' (`a#b` → `a`), does not unescape `\"` in double quotes, and its results differ between Node
 * versions, so the CLI (the user's Node) and the extension (VS Code's) would read one file differently.
 */

export interface EnvFileProblem {
  /** 1-based. */
  readonly line: number;
  readonly problem: string;
}

export interface ParsedEnvFile {
  readonly values: Readonly<Record<string, string>>;
  readonly problems: readonly EnvFileProblem[];
}

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/s;
const QUOTES = ['"', "'", '`'];

export function parseEnvFile(text: string): ParsedEnvFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  const values = new Map<string, string>();
  const problems: EnvFileProblem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const lineNumber = i + 1;
    const trimmed = lines[i]!.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = ASSIGNMENT.exec(trimmed);
    if (!match) {
      problems.push({ line: lineNumber, problem: 'expected KEY=VALUE' });
      continue;
    }
    const key = match[1]!;
    let rest = match[2]!;
    const quote = rest[0];
    if (quote === undefined || !QUOTES.includes(quote)) {
      // Unquoted: a '#' after whitespace starts a comment, as in shells.
      values.set(key, rest.replace(/\s+#.*$/, '').trim());
      continue;
    }
    let close = closingQuote(rest, quote);
    // An open quote continues onto the next lines (multi-line certificates and keys).
    while (close < 0 && i + 1 < lines.length) {
      rest += '\n' + lines[++i];
      close = closingQuote(rest, quote);
    }
    if (close < 0) {
      problems.push({ line: lineNumber, problem: `the quoted value of ${key} is not closed` });
      break;
    }
    const inner = rest.slice(1, close);
    values.set(key, quote === '"' ? unescapeDoubleQuoted(inner) : inner);
  }
  return { values: Object.fromEntries(values), problems };
}

function closingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function unescapeDoubleQuoted(text: string): string {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
  // Unknown escapes stay as written (Windows paths like "C:\dir" in a double-quoted value survive).
  return text.replace(/\\(.)/g, (whole, ch: string) => escapes[ch] ?? whole);
}
