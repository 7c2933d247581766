import type { DeadLetterRecord } from '@evroute/core';
import { describe, expect, it } from 'vitest';
import { deadLetterHeaders, readDeadLetterHeaders, truncateUtf8 } from '../src/dead-letter-headers.js';

const record: DeadLetterRecord = {
  value: Buffer.from('not json {'),
  key: 'user-1',
  headers: { traceparent: '00-abc-def-01', 'evroute.code': 'stale' },
  code: 'EVR_ERR_DECODE_NOT_JSON',
  message: 'the message value is not valid UTF-8 JSON',
  stack: 'Error: boom\n    at x (file.ts:1:1)\n'.repeat(500),
  topic: 'wrongbook-events',
  partition: 4,
  offset: '9007199254740993',
  timestamp: 1_764_000_000_000,
  attempts: 3,
  eventId: 'e-1',
  route: '12',
  plugin: 'wrongbook-add',
  pluginVersion: '1.2.3',
  configVersion: 42,
};

describe('dead-letter headers', () => {
  it('keep the original headers and add every evroute.* fact', () => {
    const headers = deadLetterHeaders(record, { maxMessageBytes: 2048, maxStackBytes: 1000 });
    expect(headers).toMatchObject({
      traceparent: '00-abc-def-01',
      'evroute.code': 'EVR_ERR_DECODE_NOT_JSON',
      'evroute.message': 'the message value is not valid UTF-8 JSON',
      'evroute.plugin': 'wrongbook-add',
      'evroute.plugin-version': '1.2.3',
      'evroute.route': '12',
      'evroute.topic': 'wrongbook-events',
      'evroute.partition': '4',
      'evroute.offset': '9007199254740993',
      'evroute.timestamp': '1764000000000',
      'evroute.attempts': '3',
      'evroute.event-id': 'e-1',
      'evroute.config-version': '42',
    });
    expect(Buffer.byteLength(headers['evroute.stack'] ?? '')).toBeLessThanOrEqual(1000);
    expect(headers['evroute.stack']?.startsWith('Error: boom')).toBe(true);
  });

  it('read back into the same facts', () => {
    const info = readDeadLetterHeaders(deadLetterHeaders(record, { maxMessageBytes: 2048, maxStackBytes: 100_000 }));
    expect(info).toMatchObject({
      code: record.code,
      topic: record.topic,
      partition: 4,
      offset: record.offset,
      attempts: 3,
      configVersion: 42,
      stack: record.stack,
      originalHeaders: { traceparent: '00-abc-def-01' },
    });
    expect(readDeadLetterHeaders({ traceparent: 'x' })).toBeNull();
  });

  it('truncate by UTF-8 bytes without splitting a character', () => {
    expect(truncateUtf8('错题本错题本', 7)).toBe('错题');
    expect(truncateUtf8('short', 100)).toBe('short');
  });
});
