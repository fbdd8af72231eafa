import type * as vscode from 'vscode';
import { describeSimpleSchema, parseFieldValue, type SchemaField } from '../core';
import { BACK, inputText, pickOne, type Back } from './quickInput';

export { BACK, type Back } from './quickInput';

export interface FormOptions {
  /** The server's question (an elicitation), shown above each field. */
  readonly question?: string;
  /** Closes the form (resolving undefined), e.g. when the server stops waiting for the answer. */
  readonly token?: vscode.CancellationToken;
  /** Steps asked before the form (Run Tool as Task: server, tool): numbering goes on from there. */
  readonly stepsBefore?: number;
  /** Offer Back on the first field, resolving BACK (to return to the previous step). */
  readonly back?: boolean;
}

/**
 * Asks for an object matching `schema`: one input box or quick pick per property for simple schemas (Back
 * returns to the previous field), one JSON input box otherwise. Resolves undefined when the user dismisses
 * any step, BACK when they go back from the first one (only with `back`).
 */
export async function askForSchemaValue(schema: unknown, title: string, options: FormOptions = {}): Promise<Record<string, unknown> | Back | undefined> {
  const fields = describeSimpleSchema(schema);
  return fields ? askFields(fields, title, optionTitles(schema), options) : askJson(title, options);
}

/**
 * Display titles of enum values, by property then value: `oneOf`/`anyOf` entries with `const` and `title`,
 * or the legacy `enumNames` beside `enum`. The form shows these and answers with the values.
 */
export function optionTitles(schema: unknown): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  if (typeof props !== 'object' || props === null) return out;
  for (const [name, raw] of Object.entries(props)) {
    const p = raw as { enum?: unknown; enumNames?: unknown; oneOf?: unknown; anyOf?: unknown };
    const titles = new Map<string, string>();
    const alts = Array.isArray(p.oneOf) ? p.oneOf : Array.isArray(p.anyOf) ? p.anyOf : [];
    for (const a of alts as { const?: unknown; title?: unknown }[]) {
      if (typeof a?.const === 'string' && typeof a.title === 'string') titles.set(a.const, a.title);
    }
    if (Array.isArray(p.enum) && Array.isArray(p.enumNames)) {
      p.enum.forEach((v, i) => typeof v === 'string' && typeof (p.enumNames as unknown[])[i] === 'string' && titles.set(v, (p.enumNames as string[])[i]!));
    }
    if (titles.size) out.set(name, titles);
  }
  return out;
}

async function askFields(fields: readonly SchemaField[], title: string, titles: Map<string, Map<string, string>>, options: FormOptions): Promise<Record<string, unknown> | Back | undefined> {
  const answers = new Map<string, unknown>();
  const before = options.stepsBefore ?? 0;
  for (let i = 0; i < fields.length; ) {
    const field = fields[i]!;
    const step = { title, step: before + i + 1, totalSteps: before + fields.length, back: i > 0 || !!options.back, token: options.token, ignoreFocusOut: true };
    const answer = await askField(field, step, titles.get(field.name), options.question, answers.get(field.name));
    if (answer === undefined) return undefined;
    if (answer === BACK) {
      if (i === 0) return BACK;
      i--;
      continue;
    }
    answers.set(field.name, answer);
    i++;
  }
  const value: Record<string, unknown> = {};
  for (const [name, answer] of answers) if (answer !== SKIPPED) value[name] = answer;
  return value;
}

const SKIPPED = Symbol('skipped');

type Step = Parameters<typeof inputText>[0];

/** One field; `previous` is the answer given before the user came back to it. */
/** What a field's prompt says: the server's question first (the field's own title often does not say what is asked). */
export function fieldPrompt(field: SchemaField, question: string | undefined): string {
  return [question, `${field.title}${field.description && field.description !== question ? ` — ${field.description}` : ''}`].filter(Boolean).join(' · ');
}

/**
 * The choices of an enum or boolean field: titles where the schema gives them (the raw value beside), Yes/No
 * for booleans, the default first (so Enter keeps it) and marked, and "(skip)" for an optional field.
 */
export function choiceItems(field: SchemaField, titles: ReadonlyMap<string, string> | undefined): (vscode.QuickPickItem & { value?: string })[] {
  let values = field.kind === 'boolean' ? ['true', 'false'] : [...(field.options ?? [])];
  const def = field.defaultValue === undefined ? undefined : String(field.defaultValue);
  if (def !== undefined && values.includes(def)) values = [def, ...values.filter((v) => v !== def)];
  const items: (vscode.QuickPickItem & { value?: string })[] = values.map((v) => ({
    label: field.kind === 'boolean' ? (v === 'true' ? 'Yes' : 'No') : (titles?.get(v) ?? v),
    description: [titles?.has(v) || field.kind === 'boolean' ? v : undefined, v === def ? 'default' : undefined].filter(Boolean).join(' · ') || undefined,
    value: v,
  }));
  if (!field.required) items.push({ label: '(skip)', description: 'leave it out' });
  return items;
}

async function askField(field: SchemaField, stepOptions: Step, titles: Map<string, string> | undefined, question: string | undefined, previous: unknown): Promise<unknown> {
  const optional = field.required ? '' : ' (optional: leave empty to skip)';
  const about = fieldPrompt(field, question);
  if (field.kind === 'enum' || field.kind === 'boolean') {
    const items = choiceItems(field, titles);
    const prev = previous === undefined ? -1 : items.findIndex((it) => (previous === SKIPPED ? it.value === undefined : it.value === String(previous)));
    const picked = await pickOne(items, { ...stepOptions, placeholder: about, ...(prev >= 0 ? { activeIndex: prev } : {}) });
    if (picked === undefined || picked === BACK) return picked;
    if (picked.value === undefined) return SKIPPED;
    const parsed = parseFieldValue(field, picked.value);
    return 'value' in parsed ? parsed.value : undefined;
  }
  const text = await inputText({
    ...stepOptions,
    prompt: `${about}${optional}`,
    value: previous === SKIPPED ? '' : previous !== undefined ? String(previous) : field.defaultValue === undefined ? '' : String(field.defaultValue),
    validate: (t) => {
      if (t === '' && !field.required) return undefined;
      const r = parseFieldValue(field, t);
      return 'error' in r ? r.error : undefined;
    },
  });
  if (text === undefined || text === BACK) return text;
  if (text === '' && !field.required) return SKIPPED;
  const parsed = parseFieldValue(field, text);
  return 'value' in parsed ? parsed.value : undefined;
}

async function askJson(title: string, options: FormOptions): Promise<Record<string, unknown> | Back | undefined> {
  const { question } = options;
  const before = options.stepsBefore ?? 0;
  const text = await inputText({
    title,
    step: before + 1,
    totalSteps: before + 1,
    back: !!options.back,
    token: options.token,
    ignoreFocusOut: true,
    prompt: question ? `${question} · answer as a JSON object` : 'Arguments as a JSON object',
    value: '{}',
    validate: (t) => {
      try {
        const v: unknown = JSON.parse(t);
        return typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'Enter a JSON object, e.g. {"topic": "x"}';
      } catch (e) {
        return `Not valid JSON: ${(e as Error).message}`;
      }
    },
  });
  return text === undefined || text === BACK ? text : (JSON.parse(text) as Record<string, unknown>);
}
