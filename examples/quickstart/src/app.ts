// The getting-started example (docs/guides/getting-started.md walks through it). A shop emits
// `shop:order_paid` and `shop:order_refunded` events; one plugin turns them into ledger rows.
import { createRouter, definePlugin, EvrouteError, InMemoryConfigSource, JsonlDeadLetterSink, JsonlFileSink, JsonlFileSource, type Router } from '@evroute/core';

/** The plugin: validates the payload and emits one ledger row per event. */
export const ledger = definePlugin<{ currency: string }>({
  name: 'ledger',
  version: '1.0.0',
  core: '^0.1.0',
  configSchema: {
    type: 'object',
    properties: { currency: { type: 'string', default: 'EUR' } },
    additionalProperties: false,
  },
  outputs: { ledger_rows: { description: 'one row per money movement' } },
  create(config, ctx) {
    ctx.logger.info({ currency: config.currency }, 'ledger processor ready');
    return {
      process(event) {
        const amount = Number(event.payload['amount']);
        if (!Number.isFinite(amount)) throw new EvrouteError('EVR_ERR_PROCESSOR_REJECTED', 'payload.amount must be a number');
        const sign = event.type === 'order_refunded' ? -1 : 1;
        return [{ to: 'ledger_rows', value: { order: event.payload['order_id'], amount: sign * amount, currency: config.currency, at: event.timestamp } }];
      },
    };
  },
});

/** Builds a router that reads events from a JSONL file and writes ledger rows and dead letters to files. */
export function buildApp(files: { events: string; ledger: string; deadLetters: string }): Router {
  return createRouter({
    source: new JsonlFileSource({ path: files.events }),
    config: new InMemoryConfigSource([
      { id: '1', domain: 'shop', eventType: 'order_paid', processor: 'ledger', enabled: true, priority: 0 },
      { id: '2', domain: 'shop', eventType: 'order_refunded', processor: 'ledger', enabled: true, priority: 0, config: { currency: 'EUR' } },
    ]),
    plugins: [ledger],
    sinks: { files: new JsonlFileSink({ path: files.ledger }) },
    outputs: { ledger_rows: { sink: 'files', target: 'ledger' } },
    deadLetter: new JsonlDeadLetterSink({ path: files.deadLetters }),
  });
}
