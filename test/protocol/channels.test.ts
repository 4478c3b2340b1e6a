import assert from 'node:assert/strict';
import { CHANNELS, MESSAGE_SHAPES, type ChannelHandlers, type ChannelMessage } from '@scattergather/protocol';

describe('protocol/wire/messages channels', () => {
  it('puts every message type on at least one channel, and names only real types', () => {
    const onChannels = new Set<string>(Object.values(CHANNELS).flat());
    assert.deepEqual([...onChannels].sort(), Object.keys(MESSAGE_SHAPES).sort());
  });

  it('makes a message for another socket a compile error (the @ts-expect-error lines fail the build if it compiles)', () => {
    const handlers: ChannelHandlers<'serverToController'> = {
      pong: () => undefined,
      // @ts-expect-error submit travels client → controller, never server → controller
      submit: () => undefined,
    };
    // @ts-expect-error a controller never sends `done` to a server
    const wrong: ChannelMessage<'controllerToServer'> = { t: 'done', results: [] };
    const right: ChannelMessage<'controllerToServer'> = { t: 'bye' };
    assert.ok(handlers.pong !== undefined);
    assert.equal(String(wrong.t), 'done');
    assert.equal(right.t, 'bye');
  });
});
