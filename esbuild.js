// Bundles the extension (and the CLI and the demo server) into single files under dist/.
//   node esbuild.js               development: source maps
//   node esbuild.js --production  minified, no source maps (what `npm run package` ships)
//   node esbuild.js --watch       rebuild on change
// The metafile (dist/meta.json) lets `npm run bench` and people read what the bundle is made of.
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Entry points; the CLI and the demo servers are for the repository only (see .vscodeignore). */
const entries = [
  { in: 'src/extension.ts', out: 'extension' },
  { in: 'src/cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  { in: 'test/fixtures/demo-server/main.ts', out: 'demo-server' },
  { in: 'test/fixtures/demo-server-2026/main.ts', out: 'demo-server-2026' },
  // The 2026-07-28 stack (v2 client, ext-tasks, zod 4): loaded by extension.js and cli.js only when a
  // 2026 server connects (see onDemandAsSibling).
  { in: 'src/core/connection/modern/index.ts', out: 'modern' },
  // The bridge's session framing (Streamable HTTP and JSON-RPC relay): loaded when VS Code connects to an offered server.
  { in: 'src/core/bridge/BridgeSession.ts', out: 'bridge-session' },
].filter((e) => fs.existsSync(path.join(__dirname, e.in)));

/** Reports errors the way VS Code's problem matchers expect, so `watch` works in a task. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * Parts loaded on demand, each its own entry above: in extension.js and cli.js the dynamic import becomes a
 * require of the sibling file, so they are neither bundled twice nor loaded before they are needed.
 * - src/core/connection/loadModern.ts → dist/modern.js, when a 2026-07-28 server connects;
 * - src/core/bridge/loadSession.ts → dist/bridge-session.js, when VS Code connects to an offered server.
 */
const onDemand = [
  { importer: /[\\/]src[\\/]core[\\/]connection[\\/]loadModern\.ts$/, request: './modern/index.js', sibling: './modern.js' },
  { importer: /[\\/]src[\\/]core[\\/]bridge[\\/]loadSession\.ts$/, request: './BridgeSession.js', sibling: './bridge-session.js' },
];
const onDemandAsSibling = {
  name: 'on-demand-as-sibling',
  setup(build) {
    build.onResolve({ filter: /^\.\/(modern\/index|BridgeSession)\.js$/ }, (args) => {
      const part = onDemand.find((p) => p.request === args.path && p.importer.test(args.importer));
      return part ? { path: part.sibling, external: true } : undefined;
    });
  },
};

/**
 * zod 4 (under the v2 client and ext-tasks) imports every locale's error messages from its locales index;
 * only English is ever used (we never call z.config with another locale). The others (~250 KB) become empty
 * modules. Go regexes have no lookahead, so the importer is checked here.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\/[a-zA-Z-]+\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/.test(args.importer) && args.path !== './en.js' ? { path: args.path, namespace: 'zod-locale-stub' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locale-stub' }, () => ({ contents: 'export default function () { return {}; }', loader: 'js' }));
  },
};

/**
 * Code the bundles never run, replaced by a stub that says so if it ever is:
 * - SDK 1.x's default JSON-schema validator (ajv, ajv-formats, fast-uri: ~130 KB of extension.js). Our
 *   Client is given its own validator (src/core/connection/acceptAllValidator.ts), so the default is never
 *   built; tests run the same validator unbundled.
 * - jose, which the v2 client imports only for OAuth private-key JWT client authentication (~60 KB of
 *   modern.js); this extension configures no OAuth.
 * - The v2 client's Node shims module, whose only heavy export is its default validator (ajv again, ~150 KB
 *   of modern.js); our v2 Client is given the same validator as the SDK 1.x one.
 */
const neverRun = {
  name: 'never-run',
  setup(build) {
    build.onResolve({ filter: /[\\/]validation[\\/]ajv-provider\.js$/ }, (args) =>
      /@modelcontextprotocol[\\/]sdk[\\/]/.test(args.importer) ? { path: 'ajv-provider', namespace: 'never-run' } : undefined,
    );
    build.onResolve({ filter: /^jose$/ }, () => ({ path: 'jose', namespace: 'never-run' }));
    build.onResolve({ filter: /^@modelcontextprotocol\/client\/_shims$/ }, () => ({ path: 'client-shims', namespace: 'never-run' }));
    build.onLoad({ filter: /.*/, namespace: 'never-run' }, (args) => ({
      contents: `const fail = () => { throw new Error(${JSON.stringify('not in this bundle: ')} + ${JSON.stringify(args.path)}); };
        export class AjvJsonSchemaValidator { constructor() { fail(); } }
        export class DefaultJsonSchemaValidator { constructor() { fail(); } }
        export const CORS_IS_POSSIBLE = false;
        export const importPKCS8 = fail, importJWK = fail, SignJWT = fail;`,
      loader: 'js',
    }));
  },
};

async function main() {
  const contexts = await Promise.all(
    entries.map((e) =>
      esbuild.context({
        entryPoints: { [e.out]: e.in },
        bundle: true,
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        outdir: 'dist',
        external: ['vscode'],
        // Prefer ES modules: jsonc-parser's UMD build requires its parts dynamically, which a bundle cannot follow.
        mainFields: ['module', 'main'],
        minify: production,
        sourcemap: !production,
        sourcesContent: false,
        legalComments: production ? 'none' : 'inline',
        metafile: true,
        logLevel: 'warning',
        banner: e.banner ? { js: e.banner } : undefined,
        // The demo servers are SDK servers that do validate with ajv: they keep everything.
        plugins: [onDemandAsSibling, zodEnglishOnly, ...(e.out.startsWith('demo-server') ? [] : [neverRun]), ...(watch ? [problemMatcher] : [])],
      }),
    ),
  );
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const metas = {};
  for (const [i, ctx] of contexts.entries()) {
    const result = await ctx.rebuild();
    metas[entries[i].out] = result.metafile;
    await ctx.dispose();
  }
  fs.writeFileSync(path.join(__dirname, 'dist', 'meta.json'), JSON.stringify(metas));
  for (const e of entries) {
    const size = fs.statSync(path.join(__dirname, 'dist', `${e.out}.js`)).size;
    console.log(`dist/${e.out}.js ${(size / 1024).toFixed(0)} KiB${production ? ' (production)' : ''}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
