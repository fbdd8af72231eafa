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

/** Entry points; the CLI and the demo server are for the repository only (see .vscodeignore). */
const entries = [
  { in: 'src/extension.ts', out: 'extension' },
  { in: 'src/cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  { in: 'test/fixtures/demo-server/main.ts', out: 'demo-server' },
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
        plugins: watch ? [problemMatcher] : [],
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
