/**
 * Item 5, bundle sizes: the bundles as `npm run package` ships them, built by the repository's own
 * `esbuild.js --production` (same entries, plugins and options) in a temporary folder whose src/, test/ and
 * node_modules/ are links to the checkout, so dist/ is left as the developers' build made it. Sizes and
 * composition from its metafile (dist/meta.json there).
 *   - dist/extension.js: what VS Code loads at activation. Target < 450 KB.
 *   - dist/extension.js + dist/modern.js: what is loaded once a 2026-07-28 server is connected. Target < 900 KB.
 * KB = 1,000 bytes (the stricter reading of the targets; the KiB figure is in the note). The baseline is the
 * target itself: ratio = size / target. The development bundle (the checkout's dist/meta.json, what the host
 * benches load) is reported beside them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { row, type BenchRow } from '../lib/rows';

const ROOT = path.resolve(__dirname, '../../..');
const KB = 1000;

interface Metafile {
  outputs: Record<string, { bytes: number; entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** "node_modules/@scope/pkg" → "@scope/pkg", "…/src/core/x.ts" → "src/core" (paths may climb out of the build folder through the links). */
function partOf(file: string): string {
  const segs = file.split('/');
  const nm = segs.lastIndexOf('node_modules');
  if (nm >= 0) return segs.slice(nm + 1, nm + (segs[nm + 1]?.startsWith('@') ? 3 : 2)).join('/');
  const at = segs.findIndex((s) => s === 'src' || s === 'test');
  return at >= 0 ? segs.slice(at, at + 2).join('/') : segs.slice(0, 2).join('/');
}

function composition(meta: Metafile): { bytes: number; parts: string } {
  const [, out] = Object.entries(meta.outputs).find(([k]) => k.endsWith('.js'))!;
  const by = new Map<string, number>();
  for (const [file, input] of Object.entries(out.inputs)) by.set(partOf(file), (by.get(partOf(file)) ?? 0) + input.bytesInOutput);
  const parts = [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([k, v]) => `${k} ${Math.round(v / 1024)} KiB`)
    .join(', ');
  return { bytes: out.bytes, parts };
}

export interface ProductionBuild {
  /** The folder holding dist/extension.js, dist/modern.js (production). */
  readonly dir: string;
  readonly meta: Record<string, Metafile>;
}

let built: ProductionBuild | undefined;

/** `node esbuild.js --production` in a temporary folder (once per process; removed at exit). */
export function productionBuild(): ProductionBuild {
  if (built) return built;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-tasks-bench-bundle-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.copyFileSync(path.join(ROOT, 'esbuild.js'), path.join(dir, 'esbuild.js'));
  for (const link of ['src', 'test', 'node_modules', 'package.json']) fs.symlinkSync(path.join(ROOT, link), path.join(dir, link));
  fs.mkdirSync(path.join(dir, 'dist'));
  const r = spawnSync(process.execPath, ['esbuild.js', '--production'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`esbuild.js --production failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  built = { dir, meta: JSON.parse(fs.readFileSync(path.join(dir, 'dist', 'meta.json'), 'utf8')) as Record<string, Metafile> };
  return built;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

export async function bundleBench(progress: (m: string) => void = () => {}): Promise<BenchRow[]> {
  progress('production bundles (node esbuild.js --production) in a temporary folder');
  const { meta } = productionBuild();
  if (!meta.extension || !meta.modern) throw new Error(`esbuild.js --production wrote no ${meta.extension ? 'modern' : 'extension'} bundle`);
  const ext = composition(meta.extension);
  const modern = composition(meta.modern);
  const both = ext.bytes + modern.bytes;
  const rows: BenchRow[] = [
    row({
      id: '5.bundle',
      item: 5,
      figure: 'Bundle size at activation: dist/extension.js (production)',
      ours: ext.bytes / KB,
      baseline: 450,
      baselineLabel: 'the 450 KB target',
      unit: 'KB',
      target: '< 450 KB',
      check: (o) => o < 450,
      note: `${ext.bytes} bytes (${kib(ext.bytes)}); largest parts: ${ext.parts}.`,
    }),
    row({
      id: '5.bundle.2026',
      item: 5,
      figure: 'Bundle size with a 2026 server connected: dist/extension.js + dist/modern.js (production)',
      ours: both / KB,
      baseline: 900,
      baselineLabel: 'the 900 KB target',
      unit: 'KB',
      target: '< 900 KB',
      check: (o) => o < 900,
      note:
        `${both} bytes (${kib(both)}): extension.js ${kib(ext.bytes)} + modern.js ${modern.bytes} bytes (${kib(modern.bytes)}); largest parts of modern.js: ${modern.parts}.` +
        (both >= 900 * KB ? ` Over the target by ${((both - 900 * KB) / 1024).toFixed(0)} KiB (also over with KB read as KiB: ${kib(both)} ≥ 900 KiB).` : ''),
    }),
  ];
  if (meta['bridge-session']) {
    const bridge = composition(meta['bridge-session']);
    rows.push(
      row({
        id: '5.bundle.bridge',
        item: 5,
        figure: 'Loaded when VS Code connects to an offered server: dist/bridge-session.js (production)',
        ours: bridge.bytes / KB,
        unit: 'KB',
        target: 'info (issue 12 sets no size; kept out of the activation bundle)',
        note: `${bridge.bytes} bytes (${kib(bridge.bytes)}); largest parts: ${bridge.parts}.`,
      }),
    );
  }
  const devMeta = path.join(ROOT, 'dist', 'meta.json');
  if (fs.existsSync(devMeta)) {
    const all = JSON.parse(fs.readFileSync(devMeta, 'utf8')) as Record<string, Metafile>;
    const dev = all.extension ? composition(all.extension) : undefined;
    const devModern = all.modern ? composition(all.modern) : undefined;
    if (dev) {
      rows.push(
        row({
          id: '5.bundle.dev',
          item: 5,
          figure: 'Bundle size, development build (dist/meta.json)',
          ours: dev.bytes / KB,
          unit: 'KB',
          target: 'info (not shipped; the host benches load it)',
          note: `extension.js ${dev.bytes} bytes${devModern ? `, modern.js ${devModern.bytes} bytes` : ''}; unminified, what \`npm run build\` writes to dist/.`,
        }),
      );
    }
  }
  return rows;
}
