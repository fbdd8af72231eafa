/**
 * Entry points from text (an mcp.json file) and from already-parsed values (settings) to definitions.
 * jsonc-parser is tolerant, so a syntax slip costs only the server it sits in.
 */
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, stripComments, type Node, type ParseError } from 'jsonc-parser';
import type { ConfigError } from './ServerConfig';
import type { ConfigOrigin, ParsedConfig, TextPosition } from './definitions';
import { interpretDocument, SERVER_CONTAINERS, type JsonPath } from './interpretConfig';
import { configError } from './messages';
import { positionFinder } from './textPosition';

/** A whole mcp.json (VS Code's `{ inputs, servers }` or `{ mcpServers }`), JSONC allowed. */
export function parseMcpConfigText(text: string, origin: ConfigOrigin): ParsedConfig {
  const syntaxErrors: ParseError[] = [];
  const root = parseTree(text, syntaxErrors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  // A file holding nothing (or only comments) is an empty config, not a broken one.
  if (root === undefined && stripComments(text).trim() === '') return interpretDocument(undefined, origin);

  const positionAt = positionFinder(text);
  const owners = serverNodes(root, text);
  const broken = new Set<string>();
  const errors: ConfigError[] = [];
  // One message per spot: a file cut short reports every bracket left open at its end ("expected ']'",
  // "expected '}'", "expected '}'"), and jsonc-parser repeats some errors.
  const bySpot = new Map<number, string[]>();
  for (const e of syntaxErrors) {
    const words = bySpot.get(e.offset) ?? [];
    if (!words.includes(describe(e))) words.push(describe(e));
    bySpot.set(e.offset, words);
  }
  for (const [offset, words] of bySpot) {
    const owner = owners.find((o) => offset >= o.start && (offset < o.end || (offset === o.end && !o.closed)));
    if (owner) broken.add(`${owner.container}\0${owner.name}`);
    const what = offset >= text.length && words.length > 1 ? `the file ends early (${words.join(', ')})` : words.join('; ');
    const suffix = owner ? ' (this server is skipped until it is fixed)' : '';
    errors.push(configError(origin.source, owner?.name, `syntax error: ${what}${suffix}`, positionAt(offset)));
  }
  for (const o of owners) {
    if (o.repeated) errors.push(configError(origin.source, o.name, 'is defined more than once in this file; the last definition is used', positionAt(o.keyOffset)));
  }

  const locate = (path: JsonPath): TextPosition | undefined => {
    const node = root && findNodeAtLocation(root, [...path]);
    if (!node) return undefined;
    // Point at the key ("args": ...) rather than its value: that is the line the user looks for.
    const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return positionAt((key ?? node).offset);
  };
  const parsed = interpretDocument(root && getNodeValue(root), origin, {
    locate,
    isBroken: (container, name) => broken.has(`${container}\0${name}`),
  });
  return { ...parsed, errors: [...errors, ...parsed.errors] };
}

/** A whole config that is already a value, e.g. VS Code's `mcp` setting: `{ inputs?, servers }` or `{ mcpServers }`. */
export function parseMcpConfigObject(doc: unknown, origin: ConfigOrigin): ParsedConfig {
  return interpretDocument(doc, origin);
}

/**
 * A `servers` map on its own (our `mcpTasks.servers` setting): names to definitions. `inputs` are the
 * prompts its `${input:id}` variables may use, when the host keeps them alongside.
 */
export function parseServersSetting(servers: unknown, origin: ConfigOrigin, inputs?: unknown): ParsedConfig {
  return interpretDocument(inputs === undefined ? { servers } : { servers, inputs }, origin);
}

interface ServerNode {
  readonly container: string;
  readonly name: string;
  readonly keyOffset: number;
  /** The span a syntax error must fall in to break this server. */
  readonly start: number;
  readonly end: number;
  /**
   * The value ends with its own closing bracket or quote. An unclosed one (a file cut inside it) runs to the
   * end of the text, where the parser reports the error: at `end`, not before it.
   */
  readonly closed: boolean;
  /** A second (or later) property with the same name in the same object; JSON keeps the last. */
  readonly repeated: boolean;
}

function serverNodes(root: Node | undefined, text: string): ServerNode[] {
  const found: ServerNode[] = [];
  if (root?.type !== 'object') return found;
  for (const container of SERVER_CONTAINERS) {
    const object = findNodeAtLocation(root, [container]);
    if (object?.type !== 'object') continue;
    const names = new Set<string>();
    for (const property of object.children ?? []) {
      const [key, value] = property.children ?? [];
      if (key === undefined || typeof key.value !== 'string') continue;
      const name: string = key.value;
      // Without a value, the error sits right after the key; with one, only errors inside it count (a
      // missing comma before the next server is reported at that server's key and must not break it).
      const span = value ? { start: value.offset, end: value.offset + value.length } : { start: property.offset, end: property.offset + property.length + 1 };
      found.push({ container, name, keyOffset: key.offset, ...span, closed: value !== undefined && isClosed(value, text), repeated: names.has(name) });
      names.add(name);
    }
  }
  return found;
}

/** Whether the value's own closing bracket is there (not merely the last one of its last entry). */
function isClosed(value: Node, text: string): boolean {
  const end = value.offset + value.length;
  if (value.type === 'string') return value.length >= 2 && text[end - 1] === '"';
  if (value.type !== 'object' && value.type !== 'array') return true;
  const lastChild = value.children?.[value.children.length - 1];
  const lastEnd = lastChild ? lastChild.offset + lastChild.length : value.offset + 1;
  return text[end - 1] === (value.type === 'object' ? '}' : ']') && lastEnd < end;
}

const PLAIN_WORDS: Readonly<Record<string, string>> = {
  InvalidSymbol: 'unexpected character (property names and strings need double quotes)',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':' after the property name",
  CommaExpected: "expected ',' between entries",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'unexpected content after the end of the configuration',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: "a '/*' comment is not closed",
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is not finished',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character in a string',
  InvalidCharacter: 'invalid character in a string (line breaks and tabs must be escaped)',
};

function describe(error: ParseError): string {
  const code = printParseErrorCode(error.error);
  return PLAIN_WORDS[code] ?? code;
}
