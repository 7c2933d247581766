/**
 * The Kafka client seam of `@evroute/kafka`, wrapped so the suite sees every offset commit: the commit
 * passes the `before-commit` gate with its offsets (the parent checks the database holds everything
 * below them, and may SIGKILL here), then goes out, then passes `after-commit`. Assignments are reported
 * too (the rebalance faults wait for them) and restart the out-of-order tracking.
 */
import { createKafkajsClient, type GroupConsumer, type KafkaClient, type KafkaConnectionOptions } from '@evroute/kafka';
import { send, type ChildGates } from './child-gates.js';
import type { OrderTracker } from './order-tracker.js';

/** A `clientFactory` for the Kafka adapters that gates commits. */
export function gatedClientFactory(gates: ChildGates, order: OrderTracker): (connection: KafkaConnectionOptions) => KafkaClient {
  return (connection) => {
    const client = createKafkajsClient(connection);
    return {
      producer: (options) => client.producer(options),
      admin: () => client.admin(),
      groupConsumer: (options) => gatedConsumer(client.groupConsumer(options), gates, order),
    };
  };
}

function gatedConsumer(inner: GroupConsumer, gates: ChildGates, order: OrderTracker): GroupConsumer {
  inner.onEvent((event) => {
    if (event.type !== 'assigned') return;
    order.restart();
    send({ t: 'assigned', partitions: event.assignment.map((p) => p.partition).sort((a, b) => a - b) });
  });
  return {
    connect: () => inner.connect(),
    subscribe: (topics, fromBeginning) => inner.subscribe(topics, fromBeginning),
    run: (handler, concurrency) => inner.run(handler, concurrency),
    async commit(offsets) {
      await gates.pass('before-commit', { offsets: offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })) });
      await inner.commit(offsets);
      await gates.pass('after-commit', { offsets: offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })) });
    },
    pause: (partitions) => inner.pause(partitions),
    resume: (partitions) => inner.resume(partitions),
    onEvent: (listener) => inner.onEvent(listener),
    disconnect: () => inner.disconnect(),
  };
}
