/**
 * What the benchmarks of one `pnpm bench` run share: the mode, the services, the end-to-end workload
 * (one produced topic and one database, made on first use) and the clean-up of what the run created.
 */
import { uniqueName } from '@evroute/testkit';
import { BenchDatabase } from './bench-database.js';
import type { Quiet, QuietGate } from './quiet-gate.js';
import type { Services } from './services.js';
import { deleteTopics, produceWorkload, type WorkloadTopic } from './wrongbook-topic.js';

/** The produced topic and the database a pipeline run writes into. */
export interface Workload {
  readonly topic: WorkloadTopic;
  readonly db: BenchDatabase;
}

export class BenchContext {
  readonly #topics: string[] = [];
  readonly #databases: BenchDatabase[] = [];
  #workload: Promise<Workload> | undefined;

  constructor(
    readonly quick: boolean,
    readonly services: Services,
    readonly log: (line: string) => void,
    readonly gate: QuietGate,
  ) {}

  /** See {@link QuietGate.wait}. */
  quiet(): Promise<Quiet> {
    return this.gate.wait();
  }

  /** The command that regenerates result `id` alone. */
  command(id: string): string {
    return `pnpm bench${this.quick ? ' --quick' : ''} --only ${id}`;
  }

  /** A topic name that is deleted when the run ends. */
  topic(prefix: string): string {
    const name = uniqueName(prefix);
    this.#topics.push(name);
    return name;
  }

  /** A new database, dropped when the run ends. */
  async database(prefix: string): Promise<BenchDatabase> {
    const db = await BenchDatabase.create(this.services.mysqlUrl, uniqueName(prefix));
    this.#databases.push(db);
    return db;
  }

  /** The wrongbook workload (quick: ~50k events, full: ~100k), produced once per run. */
  workload(): Promise<Workload> {
    this.#workload ??= (async () => {
      const events = this.quick ? 50_000 : 100_000;
      const topic = await produceWorkload(this.services.brokers, this.topic('bench_wrongbook'), events);
      this.log(`workload: ${topic.events} events (${topic.adds} adds, ${topic.fixes} fixes, ${topic.duplicates} duplicates, ~${topic.averageBytes} B) on ${topic.topic}, ${topic.expectedRows} rows expected`);
      return { topic, db: await this.database('bench_e2e') };
    })();
    return this.#workload;
  }

  /** Drops the databases and deletes the topics this run made. */
  async close(): Promise<void> {
    for (const db of this.#databases.splice(0)) await db.drop().catch((error: unknown) => this.log(`could not drop database ${db.name}: ${String(error)}`));
    await deleteTopics(this.services.brokers, this.#topics.splice(0)).catch((error: unknown) => this.log(`could not delete topics: ${String(error)}`));
  }
}
