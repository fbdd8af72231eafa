// Runs the extension-host test suite (out/test/integration/index.js, the standard `run()` shape) in a real
// VS Code. Backend: VSCODE_TEST_BACKEND=electron | code-server | auto (default).
//  - electron: @vscode/test-electron (downloads VS Code; needs the internet and a display).
//  - code-server: code-server + headless Chromium (npm registry and Debian packages only).
//  - auto: try the VS Code download briefly; only a failed download switches to code-server —
//    a failing test never does.
import path from 'node:path';
import { format } from 'node:util';
import { createRequire } from 'node:module';
import { ensureTestHost, launchChromium, root, startCodeServer } from './lib/codeServerHost.mjs';

const backend = process.env.VSCODE_TEST_BACKEND ?? 'auto';
/**
 * Each suite is one window: the main one trusts its workspace; another checks restricted mode; the last
 * opens a multi-root workspace (a .code-workspace file, `folder` here) for folder-level settings.
 */
const suites = [
  { name: 'integration', tests: 'out/test/integration/trusted/index.js', folder: 'test/fixtures/workspace', trusted: true },
  { name: 'untrusted', tests: 'out/test/integration/untrusted/index.js', folder: 'test/fixtures/untrusted-workspace', trusted: false },
  { name: 'multiroot', tests: 'out/test/integration/multiroot/index.js', folder: 'test/fixtures/multiroot-workspace/two-folders.code-workspace', trusted: true },
].map((s) => ({ ...s, tests: path.join(root, s.tests), folder: path.join(root, s.folder) }));

/** The workbench URL for a suite: `?folder=` for a folder, `?workspace=` for a .code-workspace file. */
function suiteUrl(host, suite) {
  if (!suite.folder.endsWith('.code-workspace')) return host.url({ folder: suite.folder, extensionDevelopmentPath: root, extensionTestsPath: suite.tests });
  const url = new URL(host.url({ extensionDevelopmentPath: root, extensionTestsPath: suite.tests }));
  url.searchParams.delete('ew');
  url.searchParams.set('workspace', suite.folder);
  return url.toString();
}
const timeoutMs = Number(process.env.VSCODE_TEST_TIMEOUT ?? 600) * 1000;

async function runElectron(suite) {
  const { downloadAndUnzipVSCode, runTests } = createRequire(import.meta.url)('@vscode/test-electron');
  let vscodeExecutablePath;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ version: process.env.VSCODE_TEST_VERSION ?? 'stable', timeout: 15_000 });
  } catch (e) {
    if (backend === 'electron') throw e;
    console.log(`[integration] VS Code could not be downloaded (${e?.message ?? e}); using code-server`);
    return null;
  }
  try {
    await runTests({ vscodeExecutablePath, extensionDevelopmentPath: root, extensionTestsPath: suite.tests,
      launchArgs: [suite.folder, '--disable-extensions', ...(suite.trusted ? ['--disable-workspace-trust'] : [])] });
    return 0;
  } catch (e) {
    console.error('[integration] tests failed:', e?.message ?? e);
    return 1;
  }
}

async function runCodeServer(suite) {
  ensureTestHost();
  const log = (...m) => console.log(`[${suite.name}]`, ...m);
  const host = await startCodeServer({ workspaceTrust: !suite.trusted, settings: suite.trusted ? {} : { 'security.workspace.trust.enabled': true } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let finish;
    const done = new Promise((r) => { finish = r; });
    // The workbench reports the suite's exit code and forwards the extension host's console here.
    await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code)));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const msg = format(...(args ?? []));
      if (!process.env.VERBOSE && /^\[AgentHost|^\[AccountPolicyGate\]|^Creating a socket|connection token|grace-time|builtin extensions cache|^\[Service Worker\]|^Ignoring fetching additional builtin/.test(msg)) return;
      (type === 'error' ? console.error : console.log)(msg);
    });
    page.on('pageerror', (e) => log('page error:', e.message));
    page.on('crash', () => finish(3));
    await page.goto(suiteUrl(host, suite));
    let timer;
    const timeout = new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); });
    const code = await Promise.race([done, timeout]);
    clearTimeout(timer);
    if (code === 'timeout') {
      const shot = path.join(root, `.vscode-test/${suite.name}-timeout.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      log(`timed out after ${timeoutMs / 1000}s; screenshot: ${shot}`);
      console.log('--- code-server log (last 30 lines) ---\n' + host.lines.slice(-30).join('\n'));
      return 2;
    }
    if (code !== 0) console.log('--- code-server log (last 30 lines) ---\n' + host.lines.slice(-30).join('\n'));
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    await host.stop();
  }
}

const only = process.env.MCP_TASKS_SUITE;
let failed = 0;
let useElectron = backend !== 'code-server';
for (const suite of suites.filter((s) => !only || s.name === only)) {
  let code = useElectron ? await runElectron(suite) : null;
  if (code === null) {
    useElectron = false; // the download failed once; don't retry it for every suite
    code = await runCodeServer(suite);
  }
  if (code !== 0) failed++;
}
process.exit(failed ? 1 : 0);
