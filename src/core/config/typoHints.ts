/**
 * Ignoring unknown keys keeps configs written for other clients working, but a misspelt key silently
 * loses a setting; these hints turn the likely misspellings into a clear message.
 */

/** Names other clients use for the same thing: never a near spelling, so distance alone misses them. */
const SYNONYMS: Readonly<Record<string, string>> = {
  cmd: 'command',
  arguments: 'args',
  argv: 'args',
  environment: 'env',
  env_file: 'envFile',
  workingdirectory: 'cwd',
  working_directory: 'cwd',
  endpoint: 'url',
};

/** The known key `key` was probably meant as, or undefined when it looks deliberate. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const synonym = SYNONYMS[lower];
  if (synonym !== undefined && known.includes(synonym)) return synonym;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    if (candidate.toLowerCase() === lower) return candidate;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // Short keys are one edit away from many words ("dev" vs "env"), so they only get a one-edit hint.
  const allowed = Math.min(key.length, best?.length ?? 0) <= 4 ? 1 : 2;
  return bestDistance <= allowed ? best : undefined;
}

/** Optimal string alignment distance: Levenshtein plus adjacent swaps, since "headres" is one slip. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i].push(d);
    }
  }
  return rows[a.length][b.length];
}
