import { describe, expect, it } from 'vitest';
import { SnapshotTracker, toRoutingContent } from '../src/route-rows.js';

const row = (over: Record<string, unknown> = {}) => ({
  id: '1', domain: 'wrongbook', event_type: 'wrongbook_add', processor_class: 'P', enabled: 1, priority: 0, config_json: null, ...over,
});

describe('routing_configs rows → routes', () => {
  it('maps the seed columns, refusing malformed rows on their own', () => {
    const content = toRoutingContent([
      row(),
      row({ id: '2', config_json: '{bad', enabled: 0 }),
      row({ id: '3', config_json: '[1]' }),
      row({ id: '4', processor_class: '' }),
      row({ id: '5', config_json: '  ', enabled: null, priority: 7 }),
      row({ id: '6', outputs_json: '{"wide": {"sink": 1}}' }),
      row({ id: '7', outputs_json: '{"wide": {"sink": "mysql"}, "topic": null}', fanout: 1 }),
    ]);
    expect(content.routes).toEqual([
      { id: '1', domain: 'wrongbook', eventType: 'wrongbook_add', processor: 'P', enabled: true, priority: 0, config: null },
      { id: '5', domain: 'wrongbook', eventType: 'wrongbook_add', processor: 'P', enabled: false, priority: 7, config: null },
      { id: '7', domain: 'wrongbook', eventType: 'wrongbook_add', processor: 'P', enabled: true, priority: 0, config: null, outputs: { wide: { sink: 'mysql' }, topic: null }, fanout: true },
    ]);
    expect(content.invalid.map((i) => i.id)).toEqual(['2', '3', '4', '6']);
    expect(content.invalid[0]?.reason).toMatch(/^config_json is not valid JSON/);
  });

  it('emits a snapshot only when content changes, with increasing versions', () => {
    const tracker = new SnapshotTracker();
    const first = tracker.next(toRoutingContent([row()]), 100);
    expect(first?.version).toBe(100);
    expect(tracker.next(toRoutingContent([row()]), 200)).toBeUndefined();
    expect(tracker.next(toRoutingContent([row({ priority: 1 })]), 50)?.version).toBe(101);
    expect(tracker.next(toRoutingContent([]), 5_000)?.routes).toEqual([]); // a delete is a change
  });
});
