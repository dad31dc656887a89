import { describe, expect, it } from 'vitest';
import { InvalidEntityError } from '../../core/errors';
import { type MissedWrite, isRedisFailure, RedisCatchUp } from './redis-catch-up';

const silent = { error() {}, warn() {}, info() {}, debug() {} };
const company = (plan: string) => ({ id: 'c1', account_id: 'a', environment_id: 'e', keys: { domain: 'acme.test' }, plan_ids: [plan] });

async function until(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('not in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function harness({ maxMissed }: { maxMissed?: number } = {}) {
  const state = { redisUp: false, replayed: [] as MissedWrite[][], resyncs: 0, behind: [] as boolean[] };
  const catchUp = new RedisCatchUp({
    probe: async () => {
      if (!state.redisUp) throw new Error('no answer');
    },
    replay: async (missed) => {
      if (!state.redisUp) throw new Error('failed again');
      state.replayed.push([...missed]);
    },
    resyncAll: async () => void state.resyncs++,
    onBehindChange: (behind) => state.behind.push(behind),
    logger: silent,
    probeIntervalMs: 5,
    ...(maxMissed === undefined ? {} : { maxMissed }),
  });
  return { catchUp, state };
}

describe('RedisCatchUp', () => {
  it('writes again, once Redis answers, only the newest missed version of each entity, then is no longer behind', async () => {
    const { catchUp, state } = harness();
    catchUp.miss({ what: 'put', kind: 'company', entity: company('plan_free') });
    catchUp.miss({ what: 'flags' });
    catchUp.miss({ what: 'put', kind: 'company', entity: company('plan_pro') });
    expect(catchUp.behind).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(state.replayed).toEqual([]);
    state.redisUp = true;
    await until(() => !catchUp.behind);
    expect(state.replayed).toEqual([[{ what: 'flags' }, { what: 'put', kind: 'company', entity: company('plan_pro') }]]);
    expect(state.behind).toEqual([true, false]);
    catchUp.close();
  });

  it('forgets a miss a later write overtook, and keeps misses whose replay failed for the next try', async () => {
    const { catchUp, state } = harness();
    catchUp.miss({ what: 'put', kind: 'user', entity: company('x') });
    catchUp.written({ what: 'put', kind: 'user', entity: company('y') });
    catchUp.miss({ what: 'delete', kind: 'company', id: 'c9', keys: {} });
    state.redisUp = true;
    await until(() => !catchUp.behind);
    expect(state.replayed).toEqual([[{ what: 'delete', kind: 'company', id: 'c9', keys: {} }]]);
    catchUp.close();
  });

  it('past its limit, starts over from the server instead of keeping every miss', async () => {
    const { catchUp, state } = harness({ maxMissed: 2 });
    for (const id of ['a', 'b', 'c', 'd']) catchUp.miss({ what: 'refetch', kind: 'company', id });
    state.redisUp = true;
    await until(() => !catchUp.behind);
    expect(state.resyncs).toBe(1);
    catchUp.close();
  });

  it('tells Redis failures from entities that can never be written', () => {
    expect(isRedisFailure(new Error('Redis GET got no answer within 1000 ms'))).toBe(true);
    expect(isRedisFailure(new InvalidEntityError('company', 'id', 'missing'))).toBe(false);
  });
});
