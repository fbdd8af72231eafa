// The tree pages each server's children (issue 13): VS Code is never handed thousands of rows at once. A
// real HTTP demo server holds 230 live tasks and 20 finished ones, made by another client.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TaskServerApi, TrackedTask } from '../../../src/core';
import { resultUri } from '../../../src/views/TaskResultDocumentProvider';
import { firstPage } from '../../../src/views/taskPaging';
import type { TaskTreeNode } from '../../../src/views/treeNodes';
import { startHttpDemoServer, type HttpDemoServer } from '../../fixtures/demo-server/spawn';
import { DEMO_SERVER_2026_MAIN } from '../../fixtures/demo-server-2026/spawn';
import { makeTasksElsewhere } from '../../support/sideClient';
import { extensionApi, waitFor } from '../helpers';

const LIVE = 230;
const FINISHED = 20;

describe('task tree paging', function () {
  this.timeout(90_000);
  let http: HttpDemoServer;
  let api: Awaited<ReturnType<typeof extensionApi>>;
  let fired: (TaskTreeNode | undefined)[] = [];
  let sub: vscode.Disposable;

  before(async () => {
    api = await extensionApi();
    await vscode.commands.executeCommand('mcpTasks.filterTasks', ['working', 'input_required', 'completed', 'failed', 'cancelled', 'expired', 'unknown']);
    http = await startHttpDemoServer(['--page-size', '100']);
    // Live ones first (older), then quick ones that finish: newest first alone would put the finished on top.
    await makeTasksElsewhere(http.url, LIVE, 600, 1_000);
    await makeTasksElsewhere(http.url, FINISHED, 1, 10);
    await vscode.workspace.getConfiguration('mcpTasks').update('servers', { paged: { type: 'http', url: http.url } }, vscode.ConfigurationTarget.Workspace);
    const full = () => {
      const s = api.registry.get('paged');
      const tasks = s?.store.list() ?? [];
      return s?.state.kind === 'connected' && tasks.length === LIVE + FINISHED && tasks.filter((t) => t.status === 'completed').length === FINISHED ? s : undefined;
    };
    // The setting may be applied more than once (the change event, then the settings file): wait until the
    // server object has stayed the same for a while.
    let held: TaskServerApi | undefined;
    let since = Date.now();
    await waitFor('the paged server to hold every task, settled', () => {
      const s = full();
      if (s !== held) [held, since] = [s, Date.now()];
      return s !== undefined && Date.now() - since > 2_000;
    }, 60_000);
    sub = api.tree.onDidChangeTreeData((e) => fired.push(...(Array.isArray(e) ? e : [e])));
  });

  after(async () => {
    sub?.dispose();
    await vscode.workspace.getConfiguration('mcpTasks').update('servers', undefined, vscode.ConfigurationTarget.Workspace);
    await http?.stop();
  });

  // Looked up each time: a configuration reload may replace the server object (its tasks stay).
  const server = (): TaskServerApi => api.registry.get('paged')!;
  const serverNode = () => api.tree.nodeFor('paged');
  // A full refresh (a configuration reload) makes VS Code ask again just as well.
  const refetched = () => fired.includes(serverNode()) || fired.includes(undefined);
  const children = () => api.tree.getChildren(serverNode());
  const tasksOf = (nodes: TaskTreeNode[]): TrackedTask[] => nodes.flatMap((n) => (n.kind === 'task' ? [server().store.get(n.taskId)!] : []));
  const live = (t: TrackedTask) => t.status === 'working' || t.status === 'input_required' || t.status === 'unknown';

  it('shares the first pages out among the servers shown: VS Code is handed about 300 task rows at most', async () => {
    // Seven more servers (nothing listens on port 1: they fail at once, and are rows of the tree all the same).
    const more = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`unreachable-${i}`, { type: 'http', url: 'http://127.0.0.1:1/mcp' }]));
    const config = vscode.workspace.getConfiguration('mcpTasks');
    await config.update('servers', { paged: { type: 'http', url: http.url }, ...more }, vscode.ConfigurationTarget.Workspace);
    try {
      const count = await waitFor('ten servers', () => api.registry.servers().length >= 10 && api.registry.servers().length);
      await waitFor('the paged server to hold its tasks again', () => server()?.state.kind === 'connected' && server().store.size === LIVE + FINISHED, 30_000);
      const first = firstPage(count);
      assert.ok(first < 100, `${count} servers share the first rows out`);
      const nodes = children();
      assert.equal(nodes.length, first + 1, 'a first page and the Show more row');
      assert.equal(api.tree.getTreeItem(nodes[first]!).label, `Show 100 more (${LIVE + FINISHED - first} not shown)`);
      const rows = api.tree.getChildren().reduce((n, s) => n + (s.kind === 'server' ? api.tree.getChildren(s).length : 0), 0);
      assert.ok(rows <= 10 * (first + 1) + 10 && rows <= 400, `${rows} rows under ${count} servers`);
    } finally {
      await config.update('servers', { paged: { type: 'http', url: http.url } }, vscode.ConfigurationTarget.Workspace);
      await waitFor('the extra servers gone', () => api.registry.servers().length < 10 && server()?.state.kind === 'connected' && server().store.size === LIVE + FINISHED, 30_000);
    }
  });

  it('hands VS Code a page of live tasks and a Show more row with the count left', () => {
    const nodes = children();
    assert.equal(nodes.length, 101, 'a page of 100 and the Show more row');
    const more = nodes[100]!;
    assert.equal(more.kind, 'showMore');
    const item = api.tree.getTreeItem(more);
    assert.equal(item.label, 'Show 100 more (150 not shown)');
    assert.equal(item.command?.command, 'mcpTasks.showMoreTasks');
    assert.equal(api.tree.getParent(more), serverNode());
    const page = tasksOf(nodes);
    assert.equal(page.length, 100);
    assert.ok(page.every(live), 'live tasks come first');
    assert.equal(api.tree.getTreeItem(serverNode()).description, `${LIVE + FINISHED} tasks`, 'the server row counts every task');
  });

  it('shows the next page when the Show more row is clicked, live tasks before finished ones, each newest first', async () => {
    fired = [];
    await vscode.commands.executeCommand('mcpTasks.showMoreTasks', children()[100]);
    await waitFor('the server to be fired', refetched, 5_000);
    let nodes = children();
    assert.equal(nodes.length, 201);
    assert.equal(api.tree.getTreeItem(nodes[200]!).label, 'Show 50 more');
    await vscode.commands.executeCommand('mcpTasks.showMoreTasks', nodes[200]);
    nodes = children();
    assert.equal(nodes.length, LIVE + FINISHED, 'every task, no Show more row');
    const tasks = tasksOf(nodes);
    const firstFinished = tasks.findIndex((t) => !live(t));
    assert.equal(firstFinished, LIVE, 'the finished tasks follow every live one');
    assert.ok(tasks.slice(firstFinished).every((t) => !live(t)));
    const newestFirst = (ts: TrackedTask[]) => ts.every((t, i) => i === 0 || Date.parse(ts[i - 1]!.createdAt!) >= Date.parse(t.createdAt!));
    assert.ok(newestFirst(tasks.slice(0, LIVE)) && newestFirst(tasks.slice(LIVE)), 'each part newest first');
  });

  it('fires only the rows on the page for progress, and moves a task that finishes behind the live ones', async () => {
    // Every live task reports a step each second: rows repaint, the page stays, the server row is not fired.
    await new Promise((r) => setTimeout(r, 600));
    fired = [];
    await new Promise((r) => setTimeout(r, 2_500));
    const pageIds = new Set(children().flatMap((n) => (n.kind === 'task' ? [n.taskId] : [])));
    const taskFires = fired.filter((n) => n?.kind === 'task' && n.serverId === 'paged');
    assert.ok(taskFires.length > 0, 'progress on the page repaints its rows');
    assert.ok(!fired.includes(serverNode()), 'the server was fired though its page did not change');
    assert.ok(!fired.includes(undefined), 'a full refresh for progress');
    assert.ok(taskFires.every((n) => n?.kind === 'task' && pageIds.has(n.taskId)));

    const newest = tasksOf(children())[0]!;
    fired = [];
    await server().cancelTask(newest.taskId);
    await waitFor('the server (its page changed) to be fired', refetched, 5_000);
    const tasks = tasksOf(children());
    const at = tasks.findIndex((t) => t.taskId === newest.taskId);
    assert.equal(tasks[at]!.status, 'cancelled');
    assert.equal(at, LIVE - 1 + FINISHED, 'behind the live ones and the finished ones made after it');
    assert.ok(tasks.slice(0, LIVE - 1).every(live));
  });
});

// 2026-07-28 servers cannot list: the tree holds the tasks this client started. Paged the same way.
describe('task tree paging, 2026-07-28 server', function () {
  this.timeout(90_000);
  const LIVE_2026 = 101;
  let api: Awaited<ReturnType<typeof extensionApi>>;
  let live: string[] = [];

  before(async () => {
    api = await extensionApi();
    await vscode.commands.executeCommand('mcpTasks.filterTasks', ['working', 'input_required', 'completed', 'failed', 'cancelled', 'expired', 'unknown']);
    await vscode.workspace.getConfiguration('mcpTasks').update('servers', { paged2026: { type: 'stdio', command: process.execPath, args: [DEMO_SERVER_2026_MAIN], protocol: '2026-07-28' } }, vscode.ConfigurationTarget.Workspace);
    const server = await waitFor('the 2026 server connected', () => {
      const s = api.registry.get('paged2026');
      return s?.state.kind === 'connected' ? s : undefined;
    }, 60_000);
    for (let i = 0; i < LIVE_2026; i += 10) {
      const n = Math.min(10, LIVE_2026 - i);
      const made = await Promise.all(Array.from({ length: n }, (_, j) => server.callToolAsTask('slow-job', { steps: 600, stepMs: 1_000, label: `live-${i + j}` })));
      live.push(...made.map((t) => t.taskId));
    }
    for (let i = 0; i < 3; i++) await server.callToolAsTask('slow-job', { steps: 1, stepMs: 10, label: `quick-${i}` });
    await waitFor('every task held, the quick ones finished', () => {
      const tasks = api.registry.get('paged2026')?.store.list() ?? [];
      return tasks.length === LIVE_2026 + 3 && tasks.filter((t) => t.status === 'completed').length === 3;
    }, 30_000);
  });

  after(async () => {
    const server = api.registry.get('paged2026');
    if (server) for (const id of live) await server.cancelTask(id).catch(() => undefined);
    live = [];
    await vscode.workspace.getConfiguration('mcpTasks').update('servers', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('hands VS Code a page, live tasks first, and shows the rest on Show more', async () => {
    const node = api.tree.nodeFor('paged2026');
    const store = () => api.registry.get('paged2026')!.store;
    let nodes = api.tree.getChildren(node);
    assert.equal(nodes.length, 101);
    const more = nodes[100]!;
    assert.equal(more.kind, 'showMore');
    assert.equal(api.tree.getTreeItem(more).label, 'Show 4 more');
    assert.ok(nodes.slice(0, 100).every((n) => n.kind === 'task' && store().get(n.taskId)?.status === 'working'));
    await vscode.commands.executeCommand('mcpTasks.showMoreTasks', more);
    nodes = api.tree.getChildren(node);
    assert.equal(nodes.length, LIVE_2026 + 3);
    const statuses = nodes.map((n) => (n.kind === 'task' ? store().get(n.taskId)?.status : n.kind));
    assert.deepEqual(statuses.slice(LIVE_2026), ['completed', 'completed', 'completed'], 'the finished ones last');
  });
});

// An open result document holds its task: polled at its own rate though its row is behind Show more. A server
// that does not push (with pushes, the task would be fresh anyway).
describe('result document of a task behind Show more', function () {
  this.timeout(90_000);
  let http: HttpDemoServer;
  let api: Awaited<ReturnType<typeof extensionApi>>;

  before(async () => {
    api = await extensionApi();
    http = await startHttpDemoServer(['--no-notifications', '--page-size', '100']);
    await makeTasksElsewhere(http.url, 150, 600, 1_000);
    await vscode.workspace.getConfiguration('mcpTasks').update('servers', { quiet: { type: 'http', url: http.url } }, vscode.ConfigurationTarget.Workspace);
    await waitFor('the quiet server to hold every task', () => api.registry.get('quiet')?.state.kind === 'connected' && api.registry.get('quiet')!.store.size === 150, 60_000);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('mcpTasks').update('servers', undefined, vscode.ConfigurationTarget.Workspace);
    await http?.stop();
  });

  it('keeps the task polled at its own rate while its document is open', async () => {
    // The core's server object (the hosts' API leaves the schedule out): when the task is next polled.
    const server = () => api.registry.get('quiet') as TaskServerApi & { nextPollAt(taskId: string): number | undefined };
    const shown = new Set(api.tree.getChildren(api.tree.nodeFor('quiet')).flatMap((n) => (n.kind === 'task' ? [n.taskId] : [])));
    const hidden = server().store.list().find((t) => t.status === 'working' && !shown.has(t.taskId))!;
    assert.ok(hidden, 'a live task not on the shown page');
    const gap = () => (server().nextPollAt(hidden.taskId) ?? Infinity) - Date.now();
    // Not shown, nothing waits for it: left to the slow background refresh (minutes), not polled each second.
    await waitFor('the hidden task on the background cadence', () => gap() > 10_000, 10_000);
    const doc = await vscode.workspace.openTextDocument(resultUri(server(), hidden));
    assert.match(doc.getText(), /still working/);
    await waitFor('the hidden task polled at its own rate', () => gap() <= 3_000, 10_000);
    const before = server().store.get(hidden.taskId)!.statusMessage;
    await waitFor('its steps followed', () => server().store.get(hidden.taskId)!.statusMessage !== before, 10_000);
  });

  it('still holds it when the server is removed and configured again (a new server object)', async () => {
    const server = () => api.registry.get('quiet') as (TaskServerApi & { nextPollAt(taskId: string): number | undefined }) | undefined;
    const shown = new Set(api.tree.getChildren(api.tree.nodeFor('quiet')).flatMap((n) => (n.kind === 'task' ? [n.taskId] : [])));
    const [hidden, other] = server()!.store.list().filter((t) => t.status === 'working' && !shown.has(t.taskId));
    assert.ok(hidden && other, 'two live tasks not on the shown page');
    const gapOf = (id: string) => (server()?.nextPollAt(id) ?? Infinity) - Date.now();
    const gap = () => gapOf(hidden.taskId);
    const doc = await vscode.workspace.openTextDocument(resultUri(server()!, hidden));
    await waitFor('the hidden task polled at its own rate', () => gap() <= 3_000, 10_000);
    const config = vscode.workspace.getConfiguration('mcpTasks');
    const servers = config.get('servers');
    await config.update('servers', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('the server gone', () => server() === undefined, 20_000);
    await waitFor('its document says so', () => /not configured any more/.test(doc.getText()), 10_000);
    await config.update('servers', servers, vscode.ConfigurationTarget.Workspace);
    await waitFor('the new server object to hold every task', () => server()?.state.kind === 'connected' && server()!.store.size === 150, 60_000);
    await waitFor('the document back on the task', () => /still working/.test(doc.getText()), 10_000);
    // Until the view has said what the new object shows, every task is polled at its own rate: wait for the
    // view's page to apply (a hidden task nothing holds goes to the background cadence), then look.
    await waitFor('the page shown applied to the new server object', () => gapOf(other.taskId) > 10_000, 20_000);
    assert.ok(gap() <= 3_000, `the task of the open document polled at its own rate (next poll in ${gap()} ms)`);
  });
});

// A collapsed server shows no rows: its tasks are left to the background cadence (issue 13: never poll what the
// view cannot show) until it is expanded again. A server that does not push, so only polling keeps it fresh.
describe('a collapsed server', function () {
  this.timeout(90_000);
  let http: HttpDemoServer;
  let api: Awaited<ReturnType<typeof extensionApi>>;
  const node = () => api.tree.nodeFor('folded');

  before(async () => {
    api = await extensionApi();
    http = await startHttpDemoServer(['--no-notifications']);
    await makeTasksElsewhere(http.url, 5, 600, 1_000);
    await vscode.workspace.getConfiguration('mcpTasks').update('servers', { folded: { type: 'http', url: http.url } }, vscode.ConfigurationTarget.Workspace);
    await waitFor('the folded server to hold its tasks', () => api.registry.get('folded')?.state.kind === 'connected' && api.registry.get('folded')!.store.size === 5, 60_000);
  });

  after(async () => {
    // Expanded again whatever happened: VS Code remembers a row's collapsed state by its id.
    await Promise.resolve(api.treeView.reveal(node(), { expand: true })).catch(() => undefined);
    await vscode.workspace.getConfiguration('mcpTasks').update('servers', undefined, vscode.ConfigurationTarget.Workspace);
    await http?.stop();
  });

  it('polls its tasks at their own rate only while it is expanded', async () => {
    const server = () => api.registry.get('folded') as TaskServerApi & { nextPollAt(taskId: string): number | undefined };
    const task = server().store.list().find((t) => t.status === 'working')!;
    const gap = () => (server().nextPollAt(task.taskId) ?? Infinity) - Date.now();
    // VS Code reveals only rows it has drawn: it has asked for the server's children by then.
    await waitFor('its rows drawn, polled at their own rate', () => api.tree.lastPage('folded') !== undefined && gap() <= 3_000, 10_000);
    await api.treeView.reveal(node(), { select: true, focus: true });
    await vscode.commands.executeCommand('list.collapse');
    await waitFor('collapsed: left to the background cadence', () => gap() > 10_000, 10_000);
    await api.treeView.reveal(node(), { expand: true });
    await waitFor('expanded: polled at its own rate again', () => gap() <= 3_000, 10_000);
  });
});
