// The tree data provider VS Code is given hands each server's children over on an event-loop turn of its own
// (src/views/inTurns.ts): VS Code asks for every expanded server's children in one request and builds all their
// items in one go, one long stall of the extension host when the view opens (issue 13: < 50 ms).
import * as assert from 'node:assert/strict';
import { inTurns } from '../../../src/views/inTurns';

interface Node {
  readonly id: string;
  readonly parent?: string;
}

function provider(log: string[]) {
  return {
    onDidChangeTreeData: () => ({ dispose() {} }),
    held: 0,
    getChildren(n?: Node): Node[] {
      log.push(`children ${n?.id ?? 'root'}`);
      return n ? [{ id: `${n.id}.1`, parent: n.id }] : [{ id: 'a' }, { id: 'b' }];
    },
    getTreeItem(n: Node) {
      return { label: n.id };
    },
    getParent(n: Node): Node | undefined {
      return n.parent ? { id: n.parent } : undefined;
    },
    resolveTreeItem(item: { label: string }) {
      this.held++; // state the provider keeps must land on the provider itself
      return item;
    },
  };
}

describe('tree children in turns', () => {
  it('answers the root at once and each server on a turn of its own', async () => {
    const log: string[] = [];
    const inner = provider(log);
    const outer = inTurns(inner, (n) => n.parent === undefined);
    const roots = outer.getChildren(undefined);
    assert.ok(Array.isArray(roots), 'the root is answered synchronously');
    const [a, b] = roots as Node[];
    // As VS Code asks: one server after the other, each awaited.
    const asked = (async () => {
      const x = await outer.getChildren(a);
      const y = await outer.getChildren(b);
      return [...(x ?? []), ...(y ?? [])];
    })();
    setImmediate(() => log.push('turn 1'));
    assert.deepEqual(log, ['children root'], 'a server is not answered in the same turn');
    const children = await asked;
    assert.deepEqual(children.map((c) => c.id), ['a.1', 'b.1']);
    assert.ok(log.indexOf('turn 1') < log.indexOf('children b'), 'the second server waits for a turn too');
  });

  it('passes everything else through to the provider itself', async () => {
    const inner = provider([]);
    const outer = inTurns(inner, (n) => n.parent === undefined);
    assert.equal(outer.onDidChangeTreeData, inner.onDidChangeTreeData);
    assert.deepEqual(outer.getTreeItem({ id: 'a' }), { label: 'a' });
    assert.deepEqual(outer.getParent?.({ id: 'a.1', parent: 'a' }), { id: 'a' });
    await outer.resolveTreeItem?.({ label: 'a' } as never, { id: 'a' }, undefined as never);
    assert.equal(inner.held, 1);
    const leaf = outer.getChildren({ id: 'a.1', parent: 'a' });
    assert.ok(Array.isArray(leaf), 'children of a leaf are asked at once (only servers have many)');
  });
});
