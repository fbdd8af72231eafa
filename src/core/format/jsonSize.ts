/**
 * How long a value's JSON is at least, without building it. The result document leaves out the raw JSON of
 * a large result; serialising a 10 MB result only to learn that cost the extension host 50–140 ms and as
 * much again in garbage collection on every open of its document.
 */

/**
 * A lower bound of `JSON.stringify(value).length` (escapes and indentation not counted), found by walking
 * the value; the walk stops once the bound passes `stopAbove`, so a huge value costs as little as a small one.
 */
export function jsonLengthAtLeast(value: unknown, stopAbove = Infinity): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length && n <= stopAbove) {
    const v = stack.pop();
    if (typeof v === 'string') n += v.length + 2;
    else if (typeof v === 'number' || typeof v === 'boolean') n += String(v).length;
    else if (v === null) n += 4;
    else if (Array.isArray(v)) {
      n += 2 + Math.max(0, v.length - 1);
      for (const item of v) stack.push(item);
    } else if (typeof v === 'object') {
      n += 2;
      for (const [k, item] of Object.entries(v as object)) {
        if (item === undefined || typeof item === 'function') continue;
        n += k.length + 4; // "key": and a comma
        stack.push(item);
      }
    }
  }
  return n;
}
