/**
 * Issue 13, item 2, the per-request side: CPU (and wall time) of one `tasks/list` page of 100 tasks over
 * Streamable HTTP, by the fetch the core gives the SDK transport for a loopback server (`fetchFor`:
 * `loopbackFetch` over node:http, the poll's SSE answer handed over as JSON) against the global fetch
 * (undici); `loopbackFetch` alone shows the two parts. In VS Code's extension host the global fetch is also
 * wrapped for proxies; the host measures that (`node bench/run-host.mjs --request-cost`).
 */
import { fetchFor } from '../../src/core/connection/httpTransports';
import { loopbackFetch } from '../../src/core/connection/loopbackFetch';
import { makeTasks, rawHttp, startHttpDemoServer } from '../lib/harness';
import { measureRequestCost } from '../lib/requestCost';
import { row, type BenchRow } from '../lib/rows';

const TASKS = 1000;
const PAGE = 100;
const PAGES = 300;
const ROUNDS = 7;

export async function requestCostBench(progress: (m: string) => void): Promise<BenchRow[]> {
  const server = await startHttpDemoServer(['--page-size', String(PAGE)]);
  try {
    const seed = await rawHttp('seed', server.url);
    await makeTasks(seed, TASKS, 3_600_000, 1);
    await seed.close();
    progress(`${TASKS} tasks; ${ROUNDS} rounds of ${PAGES} tasks/list pages per fetch`);
    const cost = await measureRequestCost(server.url, [
      { name: 'global', fetch: (i, init) => fetch(i, init) },
      { name: 'loopback, SSE to the SDK', fetch: loopbackFetch },
      { name: 'core', fetch: fetchFor(new URL(server.url)) },
    ], PAGES, ROUNDS);
    for (const [name, c] of Object.entries(cost)) progress(`${name}: ${c.cpuUsPerRequest.toFixed(0)} µs CPU, ${c.wallMsPerRequest.toFixed(2)} ms per page`);
    const ours = cost.core!;
    const loopbackOnly = cost['loopback, SSE to the SDK']!;
    const base = cost.global!;
    const bare = cost['bare node:http, no SDK'];
    const note = `node:http alone ${loopbackOnly.cpuUsPerRequest.toFixed(0)} µs; wall ${ours.wallMsPerRequest.toFixed(2)} vs ${base.wallMsPerRequest.toFixed(2)} ms${bare ? `; floor without the SDK ${bare.cpuUsPerRequest.toFixed(0)} µs` : ''}`;
    return [
      row({ id: '4.requestCost.cpu', item: 4, figure: `CPU per tasks/list page (${PAGE} tasks, loopback HTTP), client side`, ours: ours.cpuUsPerRequest, baseline: base.cpuUsPerRequest, baselineLabel: 'global fetch (undici)', unit: 'µs', target: 'less than the global fetch', check: (_o, ratio) => ratio !== undefined && ratio < 1, note }),
    ];
  } finally {
    await server.stop();
  }
}
