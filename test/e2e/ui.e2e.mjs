// End-to-end check through the real browser UI (code-server + headless Chromium, driven by playwright-core):
// open the MCP Tasks view on the demo workspace, see a task, hover it, cancel it from the command palette.
// Saves screenshots (media/screenshot.png is the README's picture when run with --update-screenshot).
// Prints `e2e: N passed, N failed` and exits non-zero on failure.
import path from 'node:path';
import { mkdirSync, rmSync } from 'node:fs';
import { ensureTestHost, launchChromium, root, startCodeServer } from '../../scripts/lib/codeServerHost.mjs';

const outDir = path.join(root, '.vscode-test/e2e');
// Every picture is of this run: a failure.png left by an earlier run would show a state that no longer exists.
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const updateScreenshot = process.argv.includes('--update-screenshot');
const STEPS = 9;
const results = [];
const step = async (name, fn) => {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✔ ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`  ✘ ${name}: ${e?.message ?? e}`);
    throw e;
  }
};

ensureTestHost();
// linkExtension: loaded as an installed extension, without the smoke-test driver (which hides every toast).
// The tool-caller fixture extension stands in for chat: it has VS Code call a tool of the server MCP Tasks
// offers (demo-tasks, named in offerMcpJsonServers because it comes from mcp.json).
const host = await startCodeServer({
  settings: { 'workbench.colorTheme': 'Default Dark Modern', 'mcpTasks.bridge.offerMcpJsonServers': ['demo-tasks'] },
  linkExtension: true,
  extraExtensions: [path.join(root, 'test/fixtures/tool-caller-extension')],
});
const browser = await launchChromium();
let page;
try {
  page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  await page.goto(host.url({ folder: path.join(root, 'test/fixtures/demo-workspace'), extensionDevelopmentPath: root }));
  await step('the activity bar opens the MCP Tasks view', async () => {
    await page.locator('.activitybar [aria-label^="MCP Tasks"]').first().click({ timeout: 90_000 });
    await page.getByRole('treeitem', { name: /demo-tasks/ }).first().waitFor({ timeout: 60_000 });
  });

  await step('the demo server shows its tasks, a running one among them', async () => {
    await page.getByRole('treeitem', { name: /tick \d+, working/ }).first().waitFor({ timeout: 60_000 });
    await page.getByRole('treeitem', { name: /, completed/ }).first().waitFor({ timeout: 60_000 });
  });

  // A finished task: its row holds still (a row that repaints under the pointer cancels the hover before
  // it opens, as in any VS Code tree), and its card shows a preview of the result.
  await step('hovering a task peeks at its full status and result', async () => {
    // Like a person, hover again if the card did not open (a repaint under the pointer cancels it).
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Poll interval' }).first();
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(900, 400);
      await page.getByRole('treeitem', { name: /, completed/ }).first().hover();
      try {
        await hover.waitFor({ timeout: 5_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    const text = await hover.innerText();
    for (const s of ['Id:', 'Status:', 'TTL:', 'Created:', 'Result:']) if (!text.includes(s)) throw new Error(`hover lacks ${s}: ${text}`);
    // While the card is open the other rows stay current: as many rows wait for input as the status bar says
    // (a repaint takes up to a quarter second, and the demo's own task asks for input about now). The hover
    // used to hold back the whole tree for four seconds: this screenshot showed a row still working whose
    // question was already in a toast and in the status bar's count.
    const agree = async () => {
      const bar = await page.locator('.statusbar-item', { hasText: /\d+ waiting/ }).first().innerText({ timeout: 500 }).catch(() => '0 waiting');
      const waiting = Number(/(\d+) waiting/.exec(bar)?.[1] ?? 0);
      const rows = await page.getByRole('treeitem', { name: /, input required/ }).count();
      return { waiting, rows, ok: waiting === rows };
    };
    let seen = await agree();
    for (const t0 = Date.now(); !seen.ok && Date.now() - t0 < 1_500; seen = await agree()) await page.waitForTimeout(100);
    if (!seen.ok) throw new Error(`the status bar says ${seen.waiting} waiting, the tree shows ${seen.rows} rows waiting for input`);
    if (!(await hover.isVisible())) throw new Error('the hover card closed while other rows repainted');
    await page.screenshot({ path: path.join(outDir, 'hover.png') });
    if (updateScreenshot) await page.screenshot({ path: path.join(root, 'media/screenshot.png') });
  });

  await page.mouse.move(900, 400);
  await page.keyboard.press('Escape');

  await step('Cancel Task from the command palette cancels the picked task', async () => {
    await page.keyboard.press('F1');
    await page.keyboard.type('MCP Tasks: Cancel Task');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Cancel Task' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: /tick \d+/ }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.click(); // in a multi-select pick list a click toggles the row's checkbox
    await page.locator('.quick-input-widget', { hasText: '1 Selected' }).waitFor({ timeout: 5_000 });
    await page.keyboard.press('Enter');
    await page.getByRole('treeitem', { name: /, cancelled/ }).first().waitFor({ timeout: 15_000 });
    // The toast names the task as its row did, not by a hex id.
    await page.locator('.notifications-toasts .notification-toast', { hasText: /Cancelled task “tick \d+” on demo-tasks\./ }).first().waitFor({ timeout: 10_000 });
    if (await page.getByRole('treeitem', { name: /tick \d+, working/ }).count()) throw new Error('the endless task still shows as working');
    await page.screenshot({ path: path.join(outDir, 'cancelled.png') });
  });

  // The notification may be gone by now (Escape above closes toasts); the row's inline action stays.
  await step('a task waiting for input is answered from the tree and completes', async () => {
    const row = page.getByRole('treeitem', { name: /, input required/ }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.hover();
    await row.locator('.action-label[aria-label="Answer Input Request"]').click();
    const input = page.locator('.quick-input-widget input[type=text], .quick-input-widget input:not([type])').first();
    await input.waitFor({ timeout: 10_000 });
    await input.fill('teal');
    await page.keyboard.press('Enter');
    await page.getByRole('treeitem', { name: /answered, completed/ }).first().waitFor({ timeout: 20_000 });
  });

  // Run Tool as Task is one multi-step input: Back returns from the arguments to the tool list.
  const runTool = async (tool) => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.keyboard.type('MCP Tasks: Run Tool as Task');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Run Tool as Task' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await pickServerIfAsked();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: tool }).first().click({ timeout: 20_000 });
  };
  // With more than one connected server (the demo workspace also has a 2026 one) the first step picks it.
  // The server list is the one offering the other server.
  const serverList = page.locator('.quick-input-list .monaco-list-row', { hasText: 'demo-tasks-2026' }).first();
  const serverRow = page.locator('.quick-input-list .monaco-list-row', { hasText: /demo-tasks(?!-2026)/ }).first();
  const pickServerIfAsked = async () => {
    const toolRow = page.locator('.quick-input-list .monaco-list-row', { hasText: /task (required|optional)/ }).first();
    const shown = await Promise.race([serverList.waitFor({ timeout: 20_000 }).then(() => 'servers'), toolRow.waitFor({ timeout: 20_000 }).then(() => 'tools')]);
    if (shown === 'servers') await serverRow.click();
  };
  const back = () => page.locator('.quick-input-widget [aria-label^="Back"]').first().click();
  const input = page.locator('.quick-input-widget input[type=text], .quick-input-widget input:not([type])').first();
  // The field's own prompt, not any text of the widget: the tool list before it names the fields in the
  // tools' descriptions, and under load the answer was typed into that list (the task then asked its default).
  const answerField = async (title, text) => {
    await page.locator('.quick-input-widget .quick-input-message', { hasText: title }).waitFor({ timeout: 10_000 });
    await input.fill(text);
    await page.keyboard.press('Enter');
  };
  const toast = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();

  await step('Run Tool as Task goes back from the arguments to the tool list; the finished task shows a toast', async () => {
    await runTool('Slow job');
    await page.locator('.quick-input-widget .quick-input-message', { hasText: 'steps' }).waitFor({ timeout: 10_000 });
    await back();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Needs input' }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(outDir, 'run-tool-back.png') });
    // From the tool list, Back returns to the server list when there was one.
    if (await page.locator('.quick-input-widget [aria-label^="Back"]').count()) {
      await back();
      await serverList.waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(outDir, 'run-tool-back-to-servers.png') });
      await serverRow.click();
    }
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Slow job' }).first().click();
    await answerField('steps', '2');
    await answerField('stepMs', '500');
    await answerField('label', 'toast check');
    await toast(/toast check on demo-tasks completed/).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(outDir, 'toast-completed.png') });
  });

  await step('a task started from the UI that needs input shows a toast', async () => {
    await runTool('Needs input');
    await answerField('question', 'Which toast colour?');
    await answerField('timeoutMs', '');
    await toast('Which toast colour?').waitFor({ timeout: 20_000 });
    const said = await toast('Which toast colour?').locator('.notification-list-item-message').innerText();
    if (said.split('Which toast colour?').length !== 2) throw new Error(`the toast says the question more than once: "${said}"`);
    await page.screenshot({ path: path.join(outDir, 'toast-input.png') });
  });

  await step('a task on the 2026-07-28 server runs from the UI, shows in its tree and finishes with a toast', async () => {
    await page.keyboard.press('F1');
    await page.keyboard.type('MCP Tasks: Run Tool as Task');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Run Tool as Task' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await serverList.click({ timeout: 20_000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Slow job' }).first().click({ timeout: 20_000 });
    await answerField('steps', '3');
    await answerField('stepMs', '800');
    await answerField('label', 'modern');
    // The same row as on a 2025 server: the tool and its telling argument, then its progress.
    await page.getByRole('treeitem', { name: /slow-job: modern, working/ }).first().waitFor({ timeout: 20_000 });
    await toast(/slow-job: modern on demo-tasks-2026 completed/).waitFor({ timeout: 30_000 });
    await page.getByRole('treeitem', { name: /slow-job: modern, completed/ }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(outDir, 'gen2026.png') });
  });

  await step('a task VS Code itself starts (through the bridge) shows in the tree as VS Code\'s; Cancel there ends its call', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.keyboard.type('Tool Caller: Call slow-job through VS Code');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Call slow-job through VS Code' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    // VS Code asks before it runs an MCP tool, as it would in chat; a person says yes.
    await page.locator('.monaco-dialog-box', { hasText: 'Run Slow job' }).getByRole('button', { name: 'Yes' }).click({ timeout: 60_000 });
    const row = page.getByRole('treeitem', { name: /slow-job: asked by chat, working/ }).first();
    await row.waitFor({ timeout: 60_000 });
    const text = await row.innerText();
    if (!/VS Code/.test(text)) throw new Error(`the row does not say VS Code started it: ${text}`);
    await page.screenshot({ path: path.join(outDir, 'bridge.png') });
    if (updateScreenshot) await page.screenshot({ path: path.join(root, 'media/bridge.png') });
    await row.hover();
    await row.locator('.action-label[aria-label="Cancel Task"]').click();
    await page.getByRole('treeitem', { name: /slow-job: asked by chat, cancelled/ }).first().waitFor({ timeout: 15_000 });
    await toast(/Tool Caller: the call ended/).waitFor({ timeout: 30_000 });
  });
} catch {
  if (page) await page.screenshot({ path: path.join(outDir, 'failure.png') }).catch(() => undefined);
  console.log('--- code-server log (last 20 lines) ---\n' + host.lines.slice(-20).join('\n'));
} finally {
  await browser.close().catch(() => undefined);
  await host.stop();
}
const passed = results.filter((r) => r.ok).length;
// Steps never reached count as failed: a run that stops early is not green.
const failed = STEPS - passed;
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
