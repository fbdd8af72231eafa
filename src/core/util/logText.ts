/**
 * Text from servers made fit for one log line or one status text: terminal colour codes removed, line
 * breaks and other control bytes escaped (a NUL or a stray carriage return must not garble the Output
 * panel), and a length limit (a server can send megabytes of error page).
 */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

export function oneLine(text: string, maxLength = 500): string {
  const flat = text
    .replace(ANSI, '')
    .replace(/\r?\n\s*/g, ' ⏎ ')
    .replace(/\t/g, ' ')
    .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return flat.length <= maxLength ? flat : `${flat.slice(0, maxLength)}… (${flat.length - maxLength} more characters)`;
}
