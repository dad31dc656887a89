import { describe, expect, it } from 'vitest';
import { SerialByKey } from './serial-by-key';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SerialByKey', () => {
  it('runs the work of one key one piece at a time, in call order, so read-modify-writes never overlap', async () => {
    const serial = new SerialByKey();
    let stored = 0;
    const increments = Array.from({ length: 100 }, () =>
      serial.run('acme', async () => {
        const read = stored;
        await tick();
        stored = read + 1;
      }),
    );
    await Promise.all(increments);
    expect(stored).toBe(100);
  });

  it('runs different keys side by side, keeps going after a failure, and forgets idle keys', async () => {
    const serial = new SerialByKey();
    const order: string[] = [];
    let release!: () => void;
    const held = serial.run('a', () => new Promise<void>((resolve) => (release = resolve)).then(() => void order.push('a1')));
    const failed = serial.run('a', async () => {
      throw new Error('boom');
    });
    const after = serial.run('a', async () => void order.push('a3'));
    await serial.run('b', async () => void order.push('b1'));
    expect(order).toEqual(['b1']);
    release();
    await held;
    await expect(failed).rejects.toThrow('boom');
    await after;
    expect(order).toEqual(['b1', 'a1', 'a3']);
    await tick();
    expect(serial.busyKeys).toBe(0);
  });
});
