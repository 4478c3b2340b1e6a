import assert from 'node:assert/strict';
import { ServerHealth } from '@scattergather/controller';

const pong = (instance: string, draining?: boolean, processId?: string) => ({ executors: [[11, false], [12, true]] as Array<[number, boolean]>, instance, processId, draining });

describe('controller/servers/server-health', () => {
  it('is alive and accepting after its first pong, which is fresh', () => {
    const health = new ServerHealth();
    assert.equal(health.accepting, false);
    assert.deepEqual(health.onPong(pong('a'), 1000), { fresh: true, revived: false });
    assert.equal(health.alive && health.answered && health.accepting, true);
    assert.equal(health.executors.length, 2);
  });

  it('is silent past the limit, lost when told, revived by the same process, fresh again after a restart', () => {
    const health = new ServerHealth();
    health.onPong(pong('a'), 1000);
    assert.equal(health.silent(1500, 600), false);
    assert.equal(health.silent(1700, 600), true);
    health.markLost();
    assert.equal(health.silent(9999, 600), false, 'a lost server is not judged again');
    assert.equal(health.changeOf({ instance: 'a' }), undefined);
    assert.deepEqual(health.onPong(pong('a'), 2000), { fresh: false, revived: true });
    assert.equal(health.changeOf({ instance: 'b' }), 'restarted', 'a server that does not name its process: any change is a restart');
    assert.deepEqual(health.onPong(pong('b'), 3000), { fresh: true, revived: false });
  });

  it('tells a restart from a server that forgot us while we were silent: both fresh, only one a restart', () => {
    const health = new ServerHealth();
    assert.equal(health.changeOf({ instance: 'p.1', processId: 'p' }), undefined, 'the first pong changes nothing');
    health.onPong(pong('p.1', false, 'p'), 1000);
    assert.equal(health.changeOf({ instance: 'p.2', processId: 'p' }), 'forgot-us');
    assert.equal(health.changeOf({ instance: 'q.2', processId: 'q' }), 'restarted', 'a new process is a restart, whatever its session');
    assert.deepEqual(health.onPong(pong('p.2', false, 'p'), 2000), { fresh: true, revived: false }, 'our modules are gone there: install them again');
    assert.equal(health.changeOf({ instance: 'p.2', processId: 'p' }), undefined);
  });

  it('takes no tasks while draining, and none after handing tasks back until it answers again', () => {
    const health = new ServerHealth();
    health.onPong(pong('a', true));
    assert.equal(health.accepting, false);
    assert.equal(health.draining, true);
    health.onPong(pong('a'));
    assert.equal(health.accepting, true, 'no longer draining');
    health.holdUntilPong();
    assert.equal(health.accepting, false, 'paused: it may be stopping');
    assert.equal(health.draining, false, 'but losing it would not be free of fault');
    health.onPong(pong('a'));
    assert.equal(health.accepting, true, 'it answers: it goes on');
    health.holdUntilPong();
    health.markDraining();
    assert.equal(health.draining, true, 'a hand-back that says it drains: losing it now is no task\'s fault');
    health.onPong(pong('a', true));
    assert.equal(health.accepting, false, 'and its answer, saying the same, does not bring it back');
  });

  it('takes no tasks once its client saw its process end, whatever that process still says; a new process at its URL does', () => {
    const health = new ServerHealth();
    health.onPong(pong('p.1', false, 'p'));
    health.markExited();
    assert.equal(health.accepting, false);
    assert.equal(health.alive, true, 'not lost yet: it may still be handing its tasks back');
    health.onPong(pong('p.1', false, 'p'));
    assert.equal(health.accepting, false, 'a late pong of the same process does not bring it back');
    health.markLost();
    health.onPong(pong('p.1', false, 'p'));
    assert.equal(health.accepting, false, 'nor does one read after it was lost');
    health.onPong(pong('q.1', false, 'q'));
    assert.equal(health.accepting, true, 'a new process at its URL does');
  });
});
