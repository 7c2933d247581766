/**
 * A producer shared by the sinks: connects once (lazily or on `start`), sends one batch at a time, and
 * flushes on close. kafkajs's idempotent producer numbers each request when it is built, so two
 * concurrent sends to one partition would get overlapping sequence numbers: sends are serialised here.
 */
import { abortable } from '../abortable.js';
import type { KafkaClient, KafkaProducer, ProducerOptions, TopicMessages } from '../client.js';
import { kafkaError, toKafkaError } from '../errors.js';

/** One lazily connected producer whose sends never overlap. */
export class SerialProducer {
  readonly #owner: string;
  readonly #producer: KafkaProducer;
  #connecting: Promise<void> | null = null;
  #chain: Promise<unknown> = Promise.resolve();
  #connected = false;
  #closed = false;

  constructor(client: KafkaClient, options: ProducerOptions, owner: string) {
    this.#owner = owner;
    this.#producer = client.producer(options);
  }

  /** Connects (once). Rejects with a coded, classified error; a later call tries again. */
  connect(signal?: AbortSignal): Promise<void> {
    if (this.#closed) return Promise.reject(kafkaError('EVR_ERR_KAFKA_CLOSED', `${this.#owner} is closed`));
    this.#connecting ??= this.#producer.connect().then(
      () => {
        this.#connected = true;
      },
      (error: unknown) => {
        this.#connecting = null;
        throw toKafkaError(error, 'EVR_ERR_KAFKA_CONNECT', { sink: this.#owner });
      },
    );
    return abortable(this.#connecting, signal, `connecting ${this.#owner}`);
  }

  /**
   * Sends after every earlier send has settled; resolves when the broker acknowledged all records.
   * Rejects with a classified code (fallback `EVR_ERR_KAFKA_PRODUCE_FAILED`), or `EVR_ERR_KAFKA_ABORTED`
   * when `signal` aborts first (the send itself may still complete later).
   */
  async send(batches: readonly TopicMessages[], signal?: AbortSignal): Promise<void> {
    await this.connect(signal);
    const run = this.#chain.then(() => this.#producer.send(batches));
    this.#chain = run.catch(() => {});
    try {
      await abortable(run, signal, `${this.#owner} write`);
    } catch (error) {
      const topic = batches.map((b) => b.topic).join(',');
      throw toKafkaError(error, 'EVR_ERR_KAFKA_PRODUCE_FAILED', { sink: this.#owner, topic });
    }
  }

  /** True once connected and until closed. */
  healthy(): boolean {
    return this.#connected && !this.#closed;
  }

  /** Waits for sends in flight (until `signal` aborts), then disconnects. Idempotent. */
  async close(signal?: AbortSignal): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await abortable(this.#chain, signal, `flushing ${this.#owner}`).catch(() => {});
    if (this.#connecting !== null) {
      await abortable(this.#connecting, signal, `connecting ${this.#owner}`).catch(() => {});
      await abortable(this.#producer.disconnect(), signal, `disconnecting ${this.#owner}`).catch(() => {});
    }
    this.#connected = false;
  }
}
