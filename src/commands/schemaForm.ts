import * as vscode from 'vscode';
import { describeSimpleSchema, parseFieldValue, type SchemaField } from '../core';

/**
 * Asks for an object matching `schema`: one input box or quick pick per property for simple schemas,
 * one JSON input box otherwise. Resolves undefined when the user dismisses any step.
 */
export async function askForSchemaValue(schema: unknown, title: string, question?: string): Promise<Record<string, unknown> | undefined> {
  const fields = describeSimpleSchema(schema);
  return fields ? askFields(fields, title, optionTitles(schema), question) : askJson(title, question);
}

/**
 * Display titles of enum values, by property then value: `oneOf`/`anyOf` entries with `const` and `title`,
 * or the legacy `enumNames` beside `enum`. The form shows these and answers with the values.
 */
function optionTitles(schema: unknown): Map<string, Map<string, string>> {
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

async function askFields(fields: readonly SchemaField[], title: string, titles: Map<string, Map<string, string>>, question?: string): Promise<Record<string, unknown> | undefined> {
  const value: Record<string, unknown> = {};
  for (const [i, field] of fields.entries()) {
    const step = fields.length > 1 ? `${title} (${i + 1}/${fields.length})` : title;
    const answer = await askField(field, step, titles.get(field.name), question);
    if (answer === undefined) return undefined;
    if (answer !== SKIPPED) value[field.name] = answer;
  }
  return value;
}

const SKIPPED = Symbol('skipped');

async function askField(field: SchemaField, title: string, titles: Map<string, string> | undefined, question?: string): Promise<unknown> {
  const optional = field.required ? '' : ' (optional: leave empty to skip)';
  // The server's question first: the field's own title often does not say what is asked.
  const about = [question, `${field.title}${field.description && field.description !== question ? ` — ${field.description}` : ''}`].filter(Boolean).join(' · ');
  if (field.kind === 'enum' || field.kind === 'boolean') {
    let values = field.kind === 'boolean' ? ['true', 'false'] : [...(field.options ?? [])];
    // The default first, so Enter keeps it (a boolean defaulting to false must not offer true first).
    const def = field.defaultValue === undefined ? undefined : String(field.defaultValue);
    if (def !== undefined && values.includes(def)) values = [def, ...values.filter((v) => v !== def)];
    const items: (vscode.QuickPickItem & { value?: string })[] = values.map((v) => ({
      label: field.kind === 'boolean' ? (v === 'true' ? 'Yes' : 'No') : (titles?.get(v) ?? v),
      description: [titles?.has(v) || field.kind === 'boolean' ? v : undefined, v === def ? 'default' : undefined].filter(Boolean).join(' · ') || undefined,
      value: v,
    }));
    if (!field.required) items.push({ label: '(skip)', description: 'leave it out' });
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: about, ignoreFocusOut: true });
    if (picked === undefined) return undefined;
    if (picked.value === undefined) return SKIPPED;
    const parsed = parseFieldValue(field, picked.value);
    return 'value' in parsed ? parsed.value : undefined;
  }
  const text = await vscode.window.showInputBox({
    title,
    prompt: `${about}${optional}`,
    value: field.defaultValue === undefined ? '' : String(field.defaultValue),
    ignoreFocusOut: true,
    validateInput: (t) => {
      if (t === '' && !field.required) return undefined;
      const r = parseFieldValue(field, t);
      return 'error' in r ? r.error : undefined;
    },
  });
  if (text === undefined) return undefined;
  if (text === '' && !field.required) return SKIPPED;
  const parsed = parseFieldValue(field, text);
  return 'value' in parsed ? parsed.value : undefined;
}

async function askJson(title: string, question?: string): Promise<Record<string, unknown> | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt: question ? `${question} · answer as a JSON object` : 'Arguments as a JSON object',
    value: '{}',
    ignoreFocusOut: true,
    validateInput: (t) => {
      try {
        const v: unknown = JSON.parse(t);
        return typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'Enter a JSON object, e.g. {"topic": "x"}';
      } catch (e) {
        return `Not valid JSON: ${(e as Error).message}`;
      }
    },
  });
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
}
