/**
 * Reads a JSON schema as a flat form (one prompt per property) when it is simple enough: an object whose
 * properties are strings, numbers, integers, booleans or enums. Anything richer returns undefined and the
 * UI asks for JSON instead. Used for tool arguments and for elicitation forms.
 */
export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum';

export interface SchemaField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly title: string;
  readonly description?: string;
  readonly required: boolean;
  readonly options?: readonly string[];
  readonly defaultValue?: unknown;
}

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function enumOptions(p: JsonObject): string[] | undefined {
  if (Array.isArray(p.enum) && p.enum.every((e) => typeof e === 'string')) return p.enum as string[];
  const alts = Array.isArray(p.oneOf) ? p.oneOf : Array.isArray(p.anyOf) ? p.anyOf : undefined;
  if (alts && alts.every((a) => isObject(a) && typeof a.const === 'string')) return alts.map((a) => (a as JsonObject).const as string);
  return undefined;
}

export function describeSimpleSchema(schema: unknown): SchemaField[] | undefined {
  if (!isObject(schema)) return undefined;
  if (schema.type !== undefined && schema.type !== 'object') return undefined;
  const props = schema.properties === undefined ? {} : schema.properties;
  if (!isObject(props)) return undefined;
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  const fields: SchemaField[] = [];
  for (const [name, raw] of Object.entries(props)) {
    if (!isObject(raw)) return undefined;
    const options = enumOptions(raw);
    const type = raw.type;
    const kind: FieldKind | undefined = options
      ? 'enum'
      : type === 'string' || type === 'number' || type === 'integer' || type === 'boolean'
        ? type
        : undefined;
    if (!kind) return undefined;
    fields.push({
      name,
      kind,
      title: typeof raw.title === 'string' ? raw.title : name,
      description: typeof raw.description === 'string' ? raw.description : undefined,
      required: required.has(name),
      options,
      defaultValue: raw.default,
    });
  }
  return fields;
}

/** Parses one field's text answer; returns an error message for bad input. */
export function parseFieldValue(field: SchemaField, text: string): { value: unknown } | { error: string } {
  switch (field.kind) {
    case 'number':
    case 'integer': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) return { error: `${field.title} must be a number` };
      if (field.kind === 'integer' && !Number.isInteger(n)) return { error: `${field.title} must be a whole number` };
      return { value: n };
    }
    case 'boolean':
      if (text === 'true' || text === 'false') return { value: text === 'true' };
      return { error: `${field.title} must be true or false` };
    case 'enum':
      if (field.options?.includes(text)) return { value: text };
      return { error: `${field.title} must be one of ${field.options?.join(', ')}` };
    default:
      return { value: text };
  }
}
