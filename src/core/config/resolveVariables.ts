/**
 * `${...}` variables in server definitions. Checking and substituting are separate so that a server with
 * an unknown variable is rejected before the user is asked for any of its inputs.
 */
import * as path from 'node:path';
import type { InputDefinition } from './definitions';
import type { WorkspaceFolder } from './context';

const VARIABLE = /\$\{([^{}]*)\}/g;

export const SUPPORTED_VARIABLES = '${workspaceFolder}, ${workspaceFolder:name}, ${workspaceFolderBasename}, ${env:NAME}, ${userHome}, ${input:id}, ${pathSeparator}, ${/}';

/** Everything a variable can stand for, except inputs, which are answered later. */
export interface VariableValues {
  readonly workspaceFolder?: string;
  readonly workspaceFolders: readonly WorkspaceFolder[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly userHome: string;
  readonly pathSeparator: string;
  readonly inputs: readonly InputDefinition[];
  readonly canAskInputs: boolean;
}

/** The variable names in `text` (what is between the braces), in order. */
export function variablesIn(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map((m) => m[1]!);
}

export function inputIdOf(variable: string): string | undefined {
  return variable.startsWith('input:') ? variable.slice('input:'.length) : undefined;
}

/** Why `variable` cannot be resolved here, or undefined when it can. */
export function variableProblem(variable: string, values: VariableValues): string | undefined {
  const inputId = inputIdOf(variable);
  if (inputId !== undefined) {
    if (!values.inputs.some((input) => input.id === inputId)) return `input '${inputId}' is not defined in "inputs"`;
    return values.canAskInputs ? undefined : `input '${inputId}' cannot be asked for here (no way to prompt)`;
  }
  if (variable.startsWith('env:')) return variable.length > 'env:'.length ? undefined : '${env:} needs a variable name, e.g. ${env:HOME}';
  if (variable.startsWith('workspaceFolder:')) {
    const name = variable.slice('workspaceFolder:'.length);
    return values.workspaceFolders.some((f) => f.name === name) ? undefined : `no open folder is named '${name}' (used as \${${variable}})`;
  }
  if (variable === 'workspaceFolder' || variable === 'workspaceFolderBasename') {
    return values.workspaceFolder === undefined ? `\${${variable}} is used but no folder is open` : undefined;
  }
  if (['userHome', 'pathSeparator', '/'].includes(variable)) return undefined;
  return `unknown variable \${${variable}}; supported: ${SUPPORTED_VARIABLES}`;
}

/**
 * Replaces every variable in one pass, so a value that itself contains `${...}` (an input answer, an
 * environment variable) is taken literally and never expanded again. Call after `variableProblem` passed.
 */
export function substituteVariables(text: string, values: VariableValues, answers: ReadonlyMap<string, string>): string {
  return text.replace(VARIABLE, (whole, variable: string) => {
    const inputId = inputIdOf(variable);
    if (inputId !== undefined) return answers.get(inputId) ?? whole;
    // A missing environment variable is empty, as VS Code does.
    if (variable.startsWith('env:')) return values.env[variable.slice('env:'.length)] ?? '';
    if (variable.startsWith('workspaceFolder:')) return values.workspaceFolders.find((f) => f.name === variable.slice('workspaceFolder:'.length))?.path ?? whole;
    switch (variable) {
      case 'workspaceFolder':
        return values.workspaceFolder ?? whole;
      case 'workspaceFolderBasename':
        return values.workspaceFolder === undefined ? whole : path.basename(values.workspaceFolder);
      case 'userHome':
        return values.userHome;
      case 'pathSeparator':
      case '/':
        return values.pathSeparator;
      default:
        return whole;
    }
  });
}
