// `npm start`: build the extension and open it in a real VS Code on the demo workspace, whose mcp.json
// starts the bundled demo task server — tasks appear with no configuration.
//  - with `code` on PATH: a VS Code window with --extensionDevelopmentPath;
//  - otherwise: code-server on 127.0.0.1 (installed on first use), with the URL to open printed.
// `npm start -- --screenshot out.png` opens the workbench headless, shows the view and saves a picture.
import { spawnSync, spawn } from 'node:child_process';
import path from 'node:path';
import { ensureTestHost, launchChromium, root, startCodeServer } from './lib/codeServerHost.mjs';

const workspace = path.join(root, 'test/fixtures/demo-workspace');
const shotIdx = process.argv.indexOf('--screenshot');
const screenshot = shotIdx > 0 ? path.resolve(process.argv[shotIdx + 1] ?? 'screenshot.png') : undefined;

const build = spawnSync(process.execPath, [path.join(root, 'esbuild.js')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const hasCode = !process.env.MCP_TASKS_NO_CODE && spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode && !screenshot) {
  console.log('[demo] opening VS Code with the extension under development');
  spawn('code', ['--new-window', `--extensionDevelopmentPath=${root}`, workspace], { stdio: 'inherit', detached: true }).unref();
} else {
  console.log('[demo] VS Code (`code`) is not installed here: serving it in the browser with code-server instead.');
  ensureTestHost(undefined, { browser: Boolean(screenshot) });
  // Installed (linked) rather than loaded through the test driver, which would hide notification toasts.
  const host = await startCodeServer({ port: screenshot ? undefined : Number(process.env.PORT ?? 3400), linkExtension: true });
  const url = host.url({ folder: workspace, extensionDevelopmentPath: root });
  const stop = async () => { await host.stop(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (screenshot) {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
      await page.goto(url);
      await page.locator('.activitybar [aria-label^="MCP Tasks"]').first().click({ timeout: 60_000 });
      await page.waitForTimeout(Number(process.env.SHOT_DELAY_MS ?? 6000));
      await page.screenshot({ path: screenshot });
      console.log('[demo] screenshot:', screenshot);
    } finally {
      await browser.close();
      await stop();
    }
  } else {
    console.log(`\n[demo] MCP Tasks is running in code-server. Open this URL in a browser:\n\n  ${url}\n\n` +
      '[demo] Click the MCP Tasks icon in the activity bar. Ctrl+C stops the server.');
  }
}
