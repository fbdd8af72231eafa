import * as assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/util/Emitter';

describe('Emitter', () => {
  it('delivers to every listener until it is disposed', () => {
    const e = new Emitter<number>();
    const seen: number[] = [];
    const sub = e.event((n) => seen.push(n));
    e.fire(1);
    sub.dispose();
    e.fire(2);
    assert.deepEqual(seen, [1]);
    assert.equal(e.hasListeners, false);
  });

  it('keeps delivering when one listener throws', () => {
    const e = new Emitter<string>();
    const seen: string[] = [];
    const original = console.error;
    console.error = () => undefined;
    try {
      e.event(() => {
        throw new Error('boom');
      });
      e.event((s) => seen.push(s));
      e.fire('x');
    } finally {
      console.error = original;
    }
    assert.deepEqual(seen, ['x']);
  });
});
