/**
 * Item 5, bundle size: the extension bundle as `npm run package` ships it (esbuild, production options as in
 * esbuild.js: bundle, cjs, node20, external vscode, minified), built into a temporary folder so dist/ is left
 * as the developers' build made it; size and composition from its metafile. The development bundle
 * (dist/meta.json, what `npm run build` and the host benches load) is reported beside it.
 * The baseline is the target itself (1 MB): ratio = ours / 1 MB.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { row, type BenchRow } from '../lib/rows';

const ROOT = path.resolve(__dirname, '../../..');
const MB = 1024 * 1024;

interface Metafile {
  outputs: Record<string, { bytes: number; entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }>;
}

function composition(meta: Metafile): { bytes: number; parts: string } {
  const [, out] = Object.entries(meta.outputs).find(([k]) => k.endsWith('.js'))!;
  const by = new Map<string, number>();
  for (const [file, input] of Object.entries(out.inputs)) {
    const segs = file.split('/');
    const key = segs[0] === 'node_modules' ? segs.slice(0, segs[1]!.startsWith('@') ? 3 : 2).join('/').replace('node_modules/', '') : segs.slice(0, 2).join('/');
    by.set(key, (by.get(key) ?? 0) + input.bytesInOutput);
  }
  const parts = [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([k, v]) => `${k} ${Math.round(v / 1024)} KiB`)
    .join(', ');
  return { bytes: out.bytes, parts };
}

export async function bundleBench(progress: (m: string) => void = () => {}): Promise<BenchRow[]> {
  progress('production bundle (esbuild, minified) into a temporary folder');
  const esbuild = require(require.resolve('esbuild', { paths: [ROOT] })) as typeof import('esbuild');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-tasks-bench-bundle-'));
  try {
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: { extension: 'src/extension.ts' },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      outdir,
      external: ['vscode'],
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      metafile: true,
      logLevel: 'silent',
    });
    const prod = composition(result.metafile as Metafile);
    const rows: BenchRow[] = [
      row({
        id: '5.bundle',
        item: 5,
        figure: 'Bundle size, production (esbuild metafile)',
        ours: prod.bytes / MB,
        baseline: 1,
        baselineLabel: 'the 1 MB target',
        unit: 'MB',
        target: '< 1 MB',
        check: (o) => o < 1,
        note: `${prod.bytes} bytes; largest parts: ${prod.parts}.`,
      }),
    ];
    const devMeta = path.join(ROOT, 'dist', 'meta.json');
    if (fs.existsSync(devMeta)) {
      const dev = composition((JSON.parse(fs.readFileSync(devMeta, 'utf8')) as Record<string, Metafile>).extension!);
      rows.push(
        row({
          id: '5.bundle.dev',
          item: 5,
          figure: 'Bundle size, development build (dist/meta.json)',
          ours: dev.bytes / MB,
          baseline: 1,
          baselineLabel: 'the 1 MB target',
          unit: 'MB',
          target: 'info (not shipped; the host benches load it)',
          note: `${dev.bytes} bytes, unminified, what \`npm run build\` writes to dist/.`,
        }),
      );
    }
    return rows;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
