// The layering is a build error, not a promise. `npm test` runs this first; it exits 1 naming each file and
// line that breaks a rule:
// - src/core never imports 'vscode' nor anything outside src/core (the hosts: extension, views, commands,
//   platform, cli): the core runs in plain Node, in the CLI and in tests.
// - inside src/core every import points down the layers below (a folder may import its own files).
// - the hosts import the core only through its barrel, src/core/index.ts.
// - the CLI never imports 'vscode' nor the extension's folders.
// Usage: node scripts/check-layers.mjs [--root DIR]   (DIR defaults to the repository; tests point it elsewhere)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bottom first. A file may import from its own folder and from folders of a lower rank. */
const CORE_LAYERS = ['util', 'model', 'config', 'format', 'connection', 'protocol', 'tasks', 'servers', 'bridge'];
const EXTENSION_FOLDERS = ['views', 'commands', 'platform', 'extension.ts'];

const rootArg = process.argv.indexOf('--root');
const root = rootArg > 0 ? path.resolve(process.argv[rootArg + 1]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const core = path.join(src, 'core');

/** Source text with comments blanked out (strings kept), so commented-out imports do not count. */
function withoutComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, (m) =>
    m.startsWith('/') ? m.replace(/[^\n]/g, ' ') : m,
  );
}

/** Every module specifier a file names: import/export … from, bare import, import(), require(). */
function importsOf(text) {
  const clean = withoutComments(text);
  const found = [];
  const patterns = [/\b(?:import|export)\s+(?:type\s+)?[\w*{}\s,$]*?\bfrom\s*(['"])([^'"]+)\1/g, /\bimport\s*(['"])([^'"]+)\1/g, /\b(?:import|require)\s*\(\s*(['"])([^'"]+)\1\s*\)/g];
  for (const re of patterns) {
    for (const m of clean.matchAll(re)) found.push({ spec: m[2], line: clean.slice(0, m.index).split('\n').length });
  }
  return found;
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : /\.(ts|mts|cts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

const top = (file) => path.relative(src, file).split(path.sep)[0];
const coreFolder = (file) => path.relative(core, file).split(path.sep)[0];
const isVscode = (spec) => spec === 'vscode' || spec.startsWith('vscode/');

function problemsOf(file) {
  const rel = path.relative(root, file);
  const inCore = file.startsWith(core + path.sep);
  const problems = [];
  for (const { spec, line } of importsOf(fs.readFileSync(file, 'utf8'))) {
    const say = (why) => problems.push(`${rel}:${line}: imports '${spec}': ${why}`);
    const target = spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : undefined;
    if (inCore) {
      if (isVscode(spec)) say('src/core runs in plain Node (the CLI, tests) and never imports the VS Code API; put this in src/views, src/commands or src/platform');
      else if (target && !(target + path.sep).startsWith(core + path.sep)) say('src/core never imports the hosts (src/extension.ts, views, commands, platform, cli); pass what it needs in through a port in src/core/model/ports.ts');
      else if (target) {
        const from = coreFolder(file);
        const to = coreFolder(target.endsWith('.ts') || target.endsWith('.js') ? target : target + '.ts');
        if (from.endsWith('.ts')) continue; // src/core/index.ts: the barrel re-exports every layer
        const fromRank = CORE_LAYERS.indexOf(from);
        const toRank = CORE_LAYERS.indexOf(to.replace(/\.ts$/, ''));
        if (fromRank < 0) say(`src/core/${from} is not a known layer; add it to CORE_LAYERS in scripts/check-layers.mjs`);
        else if (to === 'index.ts' || to === 'index') say('inside src/core, import the module itself, not the barrel (it is for the hosts)');
        else if (toRank < 0) say(`src/core/${to} is not a known layer; add it to CORE_LAYERS in scripts/check-layers.mjs`);
        else if (toRank > fromRank) say(`src/core/${from} sits below src/core/${to}; imports point down (${CORE_LAYERS.join(' → ')})`);
      }
      continue;
    }
    const host = top(file);
    if (target && (target + path.sep).startsWith(core + path.sep) && target !== core && target !== path.join(core, 'index')) {
      say('the hosts import the core only through its barrel (src/core/index.ts)');
    }
    if (host === 'cli') {
      if (isVscode(spec)) say('the CLI runs in a terminal and never imports the VS Code API');
      else if (target && EXTENSION_FOLDERS.some((f) => (target + path.sep).startsWith(path.join(src, f.replace(/\.ts$/, '')) + path.sep) || target === path.join(src, 'extension'))) say('the CLI never imports the extension host');
    } else if (target && (target + path.sep).startsWith(path.join(src, 'cli') + path.sep)) {
      say('the extension never imports the CLI host');
    }
  }
  return problems;
}

const problems = fs.existsSync(src) ? walk(src).flatMap(problemsOf) : [`${src}: not found`];
if (problems.length > 0) {
  console.error(`Layering broken (${problems.length}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`layers: ok (${walk(src).length} files under src/)`);
