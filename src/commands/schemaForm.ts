import * as vscode from 'vscode';
import { describeSimpleSchema, parseFieldValue, type SchemaField } from '../core';

/**
 * Asks for an object matching `schema`: one input box or quick pick per property for simple schemas,
 * one JSON input box otherwise. Resolves undefined when the user dismisses any step.
 */
export async function askForSchemaValue(schema: unknown, title: string): Promise<Record<string, unknown> | undefined> {
  const fields = describeSimpleSchema(schema);
  return fields ? askFields(fields, title) : askJson(title);
}

async function askFields(fields: readonly SchemaField[], title: string): Promise<Record<string, unknown> | undefined> {
  const value: Record<string, unknown> = {};
  for (const [i, field] of fields.entries()) {
    const step = `${title} (${i + 1}/${fields.length})`;
    const answer = await askField(field, step);
    if (answer === undefined) return undefined;
    if (answer !== SKIPPED) value[field.name] = answer;
  }
  return value;
}

const SKIPPED = Symbol('skipped');

async function askField(field: SchemaField, title: string): Promise<unknown> {
  const optional = field.required ? '' : ' (optional: leave empty to skip)';
  if (field.kind === 'enum' || field.kind === 'boolean') {
    const options = field.kind === 'boolean' ? ['true', 'false'] : [...(field.options ?? [])];
    const items = field.required ? options : [...options, '(skip)'];
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: `${field.title}${field.description ? ` — ${field.description}` : ''}`, ignoreFocusOut: true });
    if (picked === undefined) return undefined;
    if (picked === '(skip)') return SKIPPED;
    const parsed = parseFieldValue(field, picked);
    return 'value' in parsed ? parsed.value : undefined;
  }
  const text = await vscode.window.showInputBox({
    title,
    prompt: `${field.title}${field.description ? ` — ${field.description}` : ''}${optional}`,
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

async function askJson(title: string): Promise<Record<string, unknown> | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt: 'Arguments as a JSON object',
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
