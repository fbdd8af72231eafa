/** The `inputs` array: the prompts `${input:id}` refers to. A bad entry is dropped; servers using it then say so. */
import type { InputDefinition } from './definitions';
import { isRecord, jsonKind, own } from './values';

export type InputProblemReporter = (problem: string, path: readonly (string | number)[]) => void;

export function validateInputs(value: unknown, report: InputProblemReporter): InputDefinition[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report(`"inputs" must be an array, not ${jsonKind(value)}`, []);
    return [];
  }
  const inputs: InputDefinition[] = [];
  value.forEach((item, index) => {
    const input = validateInput(item, (problem, path = []) => report(problem, [index, ...path]));
    if (input === undefined) return;
    if (inputs.some((known) => known.id === input.id)) {
      report(`input '${input.id}' is defined twice; the first definition is used`, [index]);
      return;
    }
    inputs.push(input);
  });
  return inputs;
}

function validateInput(item: unknown, report: (problem: string, path?: readonly string[]) => void): InputDefinition | undefined {
  if (!isRecord(item)) {
    report(`each input must be an object with "id" and "type", not ${jsonKind(item)}`);
    return undefined;
  }
  const id = own(item, 'id');
  if (typeof id !== 'string' || id === '') {
    report(`an input has no "id" (a non-empty string)`, ['id']);
    return undefined;
  }
  const label = `input '${id}'`;
  // A missing type is read as a plain prompt: the intent is clear and nothing is lost.
  const type = own(item, 'type') ?? 'promptString';
  if (type !== 'promptString' && type !== 'pickString') {
    report(`${label}: type ${typeof type === 'string' ? `"${type}"` : jsonKind(type)} is not supported; use promptString or pickString`, ['type']);
    return undefined;
  }
  let ok = true;
  const optional = <T>(key: string, check: (v: unknown) => v is T, expected: string): T | undefined => {
    const v = own(item, key);
    if (v === undefined || check(v)) return v;
    report(`${label}: "${key}" must be ${expected}, not ${jsonKind(v)}`, [key]);
    ok = false;
    return undefined;
  };
  const description = optional('description', isString, 'a string');
  const password = optional('password', (v): v is boolean => typeof v === 'boolean', 'true or false');
  const defaultValue = optional('default', isString, 'a string');
  const options = pickOptions(own(item, 'options'));
  if (options === null) {
    report(`${label}: "options" must be an array of strings (or of objects with a string "value")`, ['options']);
    ok = false;
  } else if (type === 'pickString' && (options === undefined || options.length === 0)) {
    report(`${label}: a pickString input needs "options" to pick from`, ['options']);
    ok = false;
  }
  if (!ok || options === null) return undefined;
  return {
    id,
    type,
    ...(description !== undefined && { description }),
    ...(password !== undefined && { password }),
    ...(options && { options }),
    ...(defaultValue !== undefined && { default: defaultValue }),
  };
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

/** VS Code also allows `{ label, value }` options; the value is what gets substituted. null = malformed. */
function pickOptions(value: unknown): string[] | null | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return null;
  const options: string[] = [];
  for (const item of value) {
    const option = isRecord(item) ? own(item, 'value') : item;
    if (typeof option !== 'string') return null;
    options.push(option);
  }
  return options;
}
