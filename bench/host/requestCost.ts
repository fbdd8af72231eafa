/**
 * Issue 13, item 2, the per-request side, in the real extension host (where VS Code has wrapped the global
 * fetch and patched http.request for proxy support): CPU per tasks/list page of 100 tasks from a loopback
 * fixture server by fetch: VS Code's global fetch, Node's fetch under it (`__vscodeOriginalFetch`, which VS
 * Code keeps; a diagnostic only, to split the wrapper from undici), loopbackFetch, and what the core uses
 * (`fetchFor`: loopbackFetch with polls' SSE answers handed over as JSON). The bare
 * rows are the floor without the SDK, through the patched http.request and through http.ClientRequest.
 * `profileDir`: a CPU profile of the whole measurement, to see where the wrapper's time goes.
 */
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { fetchFor } from '../../src/core/connection/httpTransports';
import { loopbackFetch } from '../../src/core/connection/loopbackFetch';
import { measureRequestCost, type FetchVariant } from '../lib/requestCost';

export async function requestCostMode(control: { url?: string; pages?: number; rounds?: number; profileDir?: string }): Promise<Record<string, unknown>> {
  const original = (globalThis as { __vscodeOriginalFetch?: typeof fetch }).__vscodeOriginalFetch;
  const variants: FetchVariant[] = [
    { name: 'VS Code global fetch', fetch: (i, init) => fetch(i, init) },
    ...(original ? [{ name: 'Node fetch under the VS Code wrapper', fetch: original }] : []),
    { name: 'loopbackFetch', fetch: loopbackFetch },
    { name: "the core's fetch (loopbackFetch, polls as JSON)", fetch: fetchFor(new URL(control.url!)) },
  ];
  const session = control.profileDir ? new inspector.Session() : undefined;
  const post = (method: string, params?: object) => new Promise<unknown>((resolve, reject) => session!.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  if (session) {
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
  }
  const cost = await measureRequestCost(control.url!, variants, control.pages ?? 300, control.rounds ?? 7, ['http.request', 'http.ClientRequest']);
  if (session) {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    session.disconnect();
    fs.mkdirSync(control.profileDir!, { recursive: true });
    fs.writeFileSync(path.join(control.profileDir!, 'request-cost.cpuprofile'), JSON.stringify(profile));
  }
  for (const [name, c] of Object.entries(cost)) console.log('[bench:host]', `${name}: ${c.cpuUsPerRequest.toFixed(0)} µs CPU, ${c.wallMsPerRequest.toFixed(2)} ms per page`);
  return { requestCost: cost };
}
