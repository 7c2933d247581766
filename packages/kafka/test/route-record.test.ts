import { describe, expect, it } from 'vitest';
import { encodeRouteRecord, parseRouteRecord } from '../src/route-record.js';

const bytes = (value: unknown): Uint8Array => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseRouteRecord', () => {
  it("reads the seed guide's example row", () => {
    const parsed = parseRouteRecord(
      '1',
      bytes({
        domain: 'wrongbook',
        event_type: 'wrongbook_add',
        processor_class: 'com.flink.realtime.topics.wrongbook.processor.WrongbookAddProcessor',
        enabled: 1,
        priority: 0,
        config_json: { cache_ttl: '10min', batch_size: 1000, retry_times: 3 },
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      route: {
        id: '1',
        domain: 'wrongbook',
        eventType: 'wrongbook_add',
        processor: 'com.flink.realtime.topics.wrongbook.processor.WrongbookAddProcessor',
        enabled: true,
        priority: 0,
        config: { cache_ttl: '10min', batch_size: 1000, retry_times: 3 },
      },
    });
  });

  it('applies the table defaults and accepts config_json as a string, enabled as 0, priority as text', () => {
    const parsed = parseRouteRecord('r', '{"domain":"d","event_type":"e","processor_class":"p","enabled":0,"priority":"5","config_json":"{\\"a\\":1}"}');
    expect(parsed).toEqual({ ok: true, route: { id: 'r', domain: 'd', eventType: 'e', processor: 'p', enabled: false, priority: 5, config: '{"a":1}' } });
    const minimal = parseRouteRecord('m', bytes({ domain: 'd', event_type: 'e', processor_class: 'p' }));
    expect(minimal.ok && minimal.route.enabled && minimal.route.priority === 0).toBe(true);
  });

  it('reads outputs and fanout', () => {
    const parsed = parseRouteRecord(
      'o',
      bytes({ domain: 'd', event_type: 'e', processor_class: 'p', outputs: { audit: { sink: 'kafka', target: 'wrongbook-audit' }, wide: null }, fanout: true }),
    );
    expect(parsed.ok && parsed.route.outputs).toEqual({ audit: { sink: 'kafka', target: 'wrongbook-audit' }, wide: null });
    expect(parsed.ok && parsed.route.fanout).toBe(true);
  });

  it.each([
    ['not json', '{"domain":', 'not JSON'],
    ['an array', '[1]', 'JSON object'],
    ['no domain', '{"event_type":"e","processor_class":"p"}', '`domain`'],
    ['empty processor', '{"domain":"d","event_type":"e","processor_class":" "}', '`processor_class`'],
    ['bad enabled', '{"domain":"d","event_type":"e","processor_class":"p","enabled":"yes"}', '`enabled`'],
    ['bad priority', '{"domain":"d","event_type":"e","processor_class":"p","priority":1.5}', '`priority`'],
    ['bad outputs', '{"domain":"d","event_type":"e","processor_class":"p","outputs":{"x":{"target":"t"}}}', '`outputs.x`'],
    ['bad fanout', '{"domain":"d","event_type":"e","processor_class":"p","fanout":"y"}', '`fanout`'],
  ])('reports %s with the reason', (_what, value, reason) => {
    const parsed = parseRouteRecord('k', value);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
    expect(!parsed.ok && parsed.reason).toContain('"k"');
  });

  it('round-trips through encodeRouteRecord', () => {
    const route = {
      id: '7',
      domain: 'wrongbook',
      eventType: 'wrongbook_delete',
      processor: 'wrongbook-delete',
      enabled: false,
      priority: 3,
      config: { a: 1 },
      outputs: { audit: { sink: 'kafka', target: 'wrongbook-audit' } },
      fanout: false,
    };
    const encoded = encodeRouteRecord(route);
    expect(JSON.parse(encoded)).toMatchObject({ event_type: 'wrongbook_delete', processor_class: 'wrongbook-delete', enabled: 0 });
    expect(parseRouteRecord('7', encoded)).toEqual({ ok: true, route });
  });
});
