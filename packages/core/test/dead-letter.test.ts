import { describe, expect, it } from 'vitest';
import { definePlugin, EvrouteError } from '@evroute/core';
import { waitFor } from '@evroute/testkit';
import { echo, harness, route } from './harness.js';

const faulty = definePlugin({
  name: 'faulty',
  version: '2.3.4',
  core: '^0.1.0',
  outputs: { out: {} },
  payloadSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
  create: () => ({
    process(event) {
      const n = event.payload['n'] as number;
      if (n % 10 === 3) throw new Error(`cannot handle ${n}`);
      if (n % 10 === 5) return [{ to: 'nowhere', value: { n } }];
      if (n % 10 === 7) throw new EvrouteError('EVR_ERR_PROCESSOR_REJECTED', 'rejected by plugin');
      return [{ to: 'out', value: { n } }];
    },
  }),
});

describe('dead-letter output', () => {
  it('sends decode failures there with a coded reason and the original bytes', async () => {
    const h = await harness([route('1', 'a')]);
    const bad = [
      Buffer.from('not json at all'),
      Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), // not UTF-8
      Buffer.from(JSON.stringify({ domain: 'd', type: 'a', payload: {} })), // no eventId, no time
      Buffer.from(JSON.stringify({ domain: 'd', type: 'a', eventId: 'x', timestamp: 1, payload: '{nope' })),
      Buffer.from(JSON.stringify({ domain: 'd', type: 'a', eventId: 'y', event_time: 'yesterday', payload: {} })),
    ];
    h.log.append(bad.map((value) => ({ value, key: 'k', headers: { trace: 't1' } })));
    h.send('a', 2);
    await waitFor(() => h.log.uncommitted === 0);
    expect(h.dlq.records.map((r) => r.code).sort()).toEqual([
      'EVR_ERR_DECODE_ENVELOPE',
      'EVR_ERR_DECODE_ENVELOPE',
      'EVR_ERR_DECODE_NOT_JSON',
      'EVR_ERR_DECODE_NOT_JSON',
      'EVR_ERR_DECODE_PAYLOAD',
    ]);
    for (const record of h.dlq.records) {
      expect(bad.some((b) => Buffer.compare(b, record.value as Buffer) === 0)).toBe(true);
      expect(record.headers).toEqual({ trace: 't1' });
      expect(record.message.length).toBeGreaterThan(10);
    }
    expect(h.sink.records).toHaveLength(2); // the partition kept flowing
    await h.router.stop();
  });

  it('sends processor failures, unknown outputs and payload-schema failures there, with plugin context', async () => {
    const h = await harness([route('1', 'a', { processor: 'faulty' })], { plugins: [echo, faulty], partitions: 1, faultIsolation: { backoff: { initialMs: 1, maxMs: 5 } } });
    h.log.append(Array.from({ length: 20 }, (_, n) => ({ value: JSON.stringify({ domain: 'd', type: 'a', eventId: `e${n}`, timestamp: 1, payload: { n } }) })));
    h.send('a', 1, { n: 'not a number' });
    await waitFor(() => h.log.uncommitted === 0);
    const codes = h.dlq.records.map((r) => r.code).sort();
    expect(codes).toEqual([
      'EVR_ERR_PLUGIN_PAYLOAD_INVALID',
      'EVR_ERR_PROCESSOR_FAILED',
      'EVR_ERR_PROCESSOR_FAILED',
      'EVR_ERR_PROCESSOR_REJECTED',
      'EVR_ERR_PROCESSOR_REJECTED',
      'EVR_ERR_ROUTE_UNKNOWN_OUTPUT',
      'EVR_ERR_ROUTE_UNKNOWN_OUTPUT',
    ]);
    const thrown = h.dlq.withCode('EVR_ERR_PROCESSOR_FAILED')[0]!;
    expect(thrown).toMatchObject({ plugin: 'faulty', pluginVersion: '2.3.4', route: '1', attempts: 4 }); // 1 + 3 retries by default
    expect(thrown.stack).toContain('cannot handle');
    expect(h.dlq.withCode('EVR_ERR_ROUTE_UNKNOWN_OUTPUT')[0]?.message).toContain("'nowhere'");
    expect(h.sink.records).toHaveLength(14);
    await h.router.stop();
  });

  it('dead-letters records a sink refuses for good and writes the rest of the batch', async () => {
    const h = await harness([route('1', 'a')]);
    h.sink.refuse = (r) => (String(r.value['eventId']).endsWith('3') ? 'value too long for column' : undefined);
    const ids = h.send('a', 30);
    await waitFor(() => h.log.uncommitted === 0);
    const refused = ids.filter((id) => id.endsWith('3'));
    expect(h.dlq.withCode('EVR_ERR_SINK_ROW_REJECTED')).toHaveLength(refused.length);
    expect(h.sink.records).toHaveLength(30 - refused.length);
    await h.router.stop();
  });
});
