/**
 * A 2026-07-28 fixture server that counts what it receives (`--stats-file`), over stdio or HTTP, with the
 * registry harness that connects to it and a temporary folder for the counts: the setup and teardown the
 * gen2026 polling tests share. `dispose()` stops the servers and removes the folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CoreSettings } from '../../src/core/model/ports';
import type { TaskServer } from '../../src/core/servers/TaskServer';
import { startHttpDemoServer2026, type HttpDemoServer2026 } from '../fixtures/demo-server-2026/spawn';
import { GEN2026 } from './generations';
import { RegistryHarness } from './registryHarness';
import { httpConfig } from './serverConfigs';

/** What the fixture writes after every request: counts by method, and its open task listens. */
export interface ServerStats {
  readonly counts: Record<string, number>;
  readonly listens: { readonly open: number; readonly idsWatched: number };
}

export class CountingServer2026 {
  readonly harness: RegistryHarness;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-tasks-counting-'));
  private readonly statsFile = path.join(this.dir, 'stats.json');
  private http: HttpDemoServer2026 | undefined;

  constructor(settings: Partial<CoreSettings>) {
    this.harness = new RegistryHarness({ settings });
  }

  /** Starts the fixture with `args` (besides `--stats-file`) and connects to it as server `s`. */
  async connect(transport: 'stdio' | 'http', args: readonly string[]): Promise<TaskServer> {
    const all = ['--stats-file', this.statsFile, ...args];
    if (transport === 'stdio') return this.harness.connect(GEN2026.stdioConfig('s', all));
    this.http = await startHttpDemoServer2026(all);
    return this.harness.connect(httpConfig('s', this.http.url));
  }

  /** Nothing counted yet (before the first request the file does not exist). */
  stats(): ServerStats {
    try {
      return JSON.parse(fs.readFileSync(this.statsFile, 'utf8')) as ServerStats;
    } catch {
      return { counts: {}, listens: { open: 0, idsWatched: 0 } };
    }
  }

  count(method: string): number {
    return this.stats().counts[method] ?? 0;
  }

  async dispose(): Promise<void> {
    await this.harness.dispose();
    await this.http?.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
