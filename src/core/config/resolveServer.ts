/** One parsed definition → a ServerConfig ready to connect: variables, inputs, envFile and cwd resolved. */
import * as path from 'node:path';
import type { InputResolver } from '../model/ports';
import type { ConfigError, ServerConfig } from './ServerConfig';
import type { InputDefinition, ParsedConfig, RawHttpDefinition, RawServerDefinition, RawStdioDefinition } from './definitions';
import { parseEnvFile } from './envFile';
import { configError } from './messages';
import { inputIdOf, substituteVariables, variableProblem, variablesIn, type VariableValues } from './resolveVariables';

export interface ResolveEnvironment {
  readonly values: Omit<VariableValues, 'inputs' | 'canAskInputs'>;
  readonly resolveInput?: InputResolver;
  readonly readFile: (path: string) => Promise<string>;
  /**
   * Answers given during this run, keyed by source and id: each input is asked once per run, and an answer
   * given for one file is never handed to servers of another (a workspace file must not receive the
   * secret a user-level file asked for just by reusing its input id).
   */
  readonly answers: Map<string, Promise<string | undefined>>;
}

export interface ResolveOutcome {
  readonly server?: ServerConfig;
  readonly errors: ConfigError[];
}

export async function resolveServer(def: RawServerDefinition, origin: ParsedConfig, id: string, env: ResolveEnvironment): Promise<ResolveOutcome> {
  const errors: ConfigError[] = [];
  const fail = (problem: string): ResolveOutcome => {
    errors.push(configError(origin.source, def.name, problem, def.position));
    return { errors };
  };
  const values: VariableValues = {
    ...env.values,
    workspaceFolder: origin.workspaceFolder ?? env.values.workspaceFolder,
    inputs: origin.inputs,
    canAskInputs: env.resolveInput !== undefined,
  };

  const fields = stringFields(def);
  const problems = fields.flatMap((field) =>
    variablesIn(field.value).flatMap((variable) => {
      const problem = variableProblem(variable, values);
      return problem === undefined ? [] : [`${problem} (in ${field.label})`];
    }),
  );
  if (problems.length > 0) {
    for (const problem of new Set(problems)) errors.push(configError(origin.source, def.name, problem, def.position));
    return { errors };
  }

  const answers = new Map<string, string>();
  const inputIds = new Set(fields.flatMap((field) => variablesIn(field.value).flatMap((v) => inputIdOf(v) ?? [])));
  for (const inputId of inputIds) {
    const definition = origin.inputs.find((input) => input.id === inputId)!;
    let answer: string | undefined;
    try {
      answer = await ask(definition, origin.source, env);
    } catch (e) {
      return fail(`input '${inputId}' could not be answered: ${e instanceof Error ? e.message : String(e)}`);
    }
    // Later inputs of this server are not asked: it cannot start anyway.
    if (answer === undefined) return fail(`input '${inputId}' was dismissed, so this server is not started`);
    answers.set(inputId, answer);
  }

  const sub = (text: string) => substituteVariables(text, values, answers);
  const base = {
    id,
    name: def.name,
    source: origin.source,
    fromWorkspace: origin.fromWorkspace,
    ...(answers.size > 0 && { inputValues: [...answers.values()] }),
    ...(def.protocol !== undefined && { protocol: def.protocol }),
  };
  if (def.type !== 'stdio') {
    const url = sub(def.url);
    if (!isHttpUrl(url)) return fail(`"url" is not a valid http(s) URL: "${withoutQuery(def.url)}"`);
    return { server: { ...base, type: def.type, url, headers: mapValues(def.headers, sub) }, errors };
  }

  const command = sub(def.command);
  if (command.trim() === '') return fail('"command" is empty once its variables are resolved');
  const folder = values.workspaceFolder;
  const cwd = def.cwd === undefined ? undefined : absolute(sub(def.cwd), folder);
  if (cwd === null) return fail('"cwd" is a relative path but no folder is open to resolve it against');
  const envFile = def.envFile === undefined ? undefined : absolute(sub(def.envFile), folder);
  if (envFile === null) return fail('"envFile" is a relative path but no folder is open to resolve it against');
  let fileEnv: Readonly<Record<string, string>> = {};
  if (envFile !== undefined) {
    let text: string;
    try {
      text = await env.readFile(envFile);
    } catch (e) {
      return fail(`envFile "${envFile}" could not be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const parsed = parseEnvFile(text);
    fileEnv = parsed.values;
    for (const p of parsed.problems) errors.push(configError(origin.source, def.name, `envFile "${envFile}" line ${p.line}: ${p.problem}; the line is ignored`, def.position));
  }
  const server: ServerConfig = {
    ...base,
    type: 'stdio',
    command,
    args: def.args.map(sub),
    // Values written in "env" win over the file's: the file is the shared default, "env" the override.
    env: { ...fileEnv, ...mapValues(def.env, sub) },
    ...(envFile !== undefined && { envFile }),
    ...(cwd !== undefined && { cwd }),
  };
  return { server, errors };
}

function stringFields(def: RawServerDefinition): { label: string; value: string }[] {
  return def.type === 'stdio' ? stdioFields(def) : httpFields(def);
}

function stdioFields(def: RawStdioDefinition): { label: string; value: string }[] {
  return [
    { label: '"command"', value: def.command },
    ...def.args.map((value, i) => ({ label: `"args" item ${i + 1}`, value })),
    ...Object.entries(def.env).map(([key, value]) => ({ label: `env variable '${key}'`, value })),
    ...(def.envFile !== undefined ? [{ label: '"envFile"', value: def.envFile }] : []),
    ...(def.cwd !== undefined ? [{ label: '"cwd"', value: def.cwd }] : []),
  ];
}

function httpFields(def: RawHttpDefinition): { label: string; value: string }[] {
  return [{ label: '"url"', value: def.url }, ...Object.entries(def.headers).map(([key, value]) => ({ label: `header '${key}'`, value }))];
}

function ask(definition: InputDefinition, source: string, env: ResolveEnvironment): Promise<string | undefined> {
  const key = `${source}\0${definition.id}`;
  let pending = env.answers.get(key);
  if (pending === undefined) {
    const { options, ...rest } = definition;
    // Only reached when a resolver exists: variableProblem refuses ${input:...} without one.
    pending = env.resolveInput!({ ...rest, ...(options && { options: [...options] }) });
    env.answers.set(key, pending);
  }
  return pending;
}

/** undefined stays undefined; null = relative with nothing to resolve against. */
function absolute(p: string, folder: string | undefined): string | null {
  if (path.isAbsolute(p)) return p;
  return folder === undefined ? null : path.resolve(folder, p);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The URL as written, minus the parts that carry credentials in URLs: user:password@, query and fragment. */
function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/s, '').replace(/\/\/[^/]*@/, '//');
}

function mapValues(record: Readonly<Record<string, string>>, f: (value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}
