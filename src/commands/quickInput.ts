import * as vscode from 'vscode';

/** What a step returns when the user pressed the Back button (shown only where `back` is set). */
export const BACK = Symbol('back');
export type Back = typeof BACK;

/** Where a step sits in a multi-step input: "2/4" in its title bar, and a Back button when `back`. */
export interface StepOptions {
  readonly title: string;
  readonly step?: number;
  readonly totalSteps?: number;
  readonly back?: boolean;
  /** Closes the step (as if dismissed), e.g. when the server stops waiting for the answer. */
  readonly token?: vscode.CancellationToken;
  readonly ignoreFocusOut?: boolean;
}

function setUp(input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[] }, opts: StepOptions): void {
  input.title = opts.title;
  input.step = opts.step && opts.totalSteps && opts.totalSteps > 1 ? opts.step : undefined;
  input.totalSteps = input.step ? opts.totalSteps : undefined;
  input.ignoreFocusOut = opts.ignoreFocusOut ?? false;
  input.buttons = opts.back ? [vscode.QuickInputButtons.Back] : [];
}

/** Runs one quick input until it settles: `done` resolves it; Back and hiding (Escape, the token) end it too. */
function run<R>(
  input: vscode.QuickInput & { onDidTriggerButton: vscode.Event<vscode.QuickInputButton> },
  opts: StepOptions,
  wire: (done: (r: R | Back | undefined) => void) => vscode.Disposable[],
): Promise<R | Back | undefined> {
  return new Promise((resolve) => {
    if (opts.token?.isCancellationRequested) return resolve(undefined);
    let settled = false;
    const subs: vscode.Disposable[] = [];
    const done = (r: R | Back | undefined) => {
      if (settled) return;
      settled = true;
      subs.forEach((d) => d.dispose());
      input.dispose();
      resolve(r);
    };
    subs.push(
      ...wire(done),
      input.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && done(BACK)),
      input.onDidHide(() => done(undefined)),
    );
    if (opts.token) subs.push(opts.token.onCancellationRequested(() => done(undefined)));
    input.show();
  });
}

export function pickOne<T extends vscode.QuickPickItem>(
  items: readonly T[],
  opts: StepOptions & { placeholder?: string; matchOnDetail?: boolean; activeIndex?: number },
): Promise<T | Back | undefined> {
  const qp = vscode.window.createQuickPick<T>();
  setUp(qp, opts);
  qp.placeholder = opts.placeholder;
  qp.matchOnDetail = opts.matchOnDetail ?? false;
  qp.items = items;
  const active = opts.activeIndex !== undefined ? items[opts.activeIndex] : undefined;
  if (active) qp.activeItems = [active];
  return run<T>(qp, opts, (done) => [qp.onDidAccept(() => qp.selectedItems[0] && done(qp.selectedItems[0]))]);
}

export function inputText(
  opts: StepOptions & { prompt?: string; value?: string; password?: boolean; validate?: (text: string) => string | undefined },
): Promise<string | Back | undefined> {
  const box = vscode.window.createInputBox();
  setUp(box, opts);
  box.prompt = opts.prompt;
  box.value = opts.value ?? '';
  box.password = opts.password ?? false;
  const check = (t: string) => (box.validationMessage = opts.validate?.(t));
  check(box.value);
  return run<string>(box, opts, (done) => [
    box.onDidChangeValue(check),
    box.onDidAccept(() => {
      if (!check(box.value)) done(box.value);
    }),
  ]);
}
