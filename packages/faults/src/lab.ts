/**
 * The servers of one test file: a private MariaDB (always: the faults stop and freeze it, and its
 * canary password is in every router's URL), and either a private Kafka broker (the broker faults) or
 * the shared one from `EVROUTE_KAFKA_BROKERS` (faults that never touch the broker; each run has its own
 * topic and group there). Open it in `beforeAll`, close it in `afterAll`.
 */
import { kafkaBrokers } from '@evroute/testkit';
import type { Logger } from 'pino';
import { LogCapture, secretForms } from './log-capture.js';
import { PrivateKafka } from './private-kafka.js';
import { PrivateMariaDb } from './private-mariadb.js';
import { assertBuilt } from './router-child.js';
import { readSettings, type Settings } from './settings.js';
import { TopicAdmin } from './topic-admin.js';

/** What a test file's runs share. */
export interface Lab {
  /** The test file, for the reproduce line. */
  readonly testFile: string;
  readonly settings: Settings;
  readonly logs: LogCapture;
  /** The suite's own logger (captured like every other log line). */
  readonly logger: Logger;
  readonly mariadb: PrivateMariaDb;
  /** The private broker, when the file asked for one. */
  readonly kafka: PrivateKafka | undefined;
  readonly brokers: readonly string[];
  readonly topics: TopicAdmin;
  /** Adds a secret the closing scan looks for (the MariaDB canary password is always there). */
  addSecret(secret: string): void;
  /** Captured lines holding any secret, each with the secret masked. */
  leakedSecrets(): string[];
  /** Stops the servers, then fails if any captured log line holds a secret. */
  close(): Promise<void>;
}

/** Starts the servers of a test file. */
export async function openLab(options: { testFile: string; privateKafka: boolean }): Promise<Lab> {
  assertBuilt();
  const settings = readSettings();
  const logs = new LogCapture(options.testFile.replace(/^.*\//, '').replace(/\.test\.ts$/, ''));
  const logger = logs.logger('suite');
  logger.info({ settings }, 'fault lab opening');
  const mariadb = new PrivateMariaDb(logs);
  const kafka = options.privateKafka ? new PrivateKafka(logs) : undefined;
  const brokers = kafka === undefined ? kafkaBrokers() : undefined;
  await Promise.all([mariadb.start(), kafka?.up()]);
  const secrets: string[] = [mariadb.password];
  const lab: Lab = {
    testFile: options.testFile,
    settings,
    logs,
    logger,
    mariadb,
    kafka,
    brokers: brokers ?? kafka?.brokers ?? [],
    topics: new TopicAdmin(brokers ?? kafka?.brokers ?? []),
    addSecret(secret) {
      secrets.push(secret);
    },
    leakedSecrets() {
      const forms = secrets.flatMap(secretForms);
      return logs.linesContaining(forms).map(({ from, line }) => `[${from}] ${forms.reduce((text, s) => text.split(s).join('***'), line)}`);
    },
    async close() {
      await lab.topics.close();
      await Promise.allSettled([mariadb.close(), kafka?.down()]);
      logger.info('fault lab closed');
      const leaked = lab.leakedSecrets();
      if (leaked.length > 0) throw new Error(`${leaked.length} log line(s) of this file hold a secret (masked here; full log ${logs.file}):\n${leaked.slice(0, 5).join('\n')}`);
    },
  };

  logger.info({ mariadbPort: mariadb.port, brokers: lab.brokers, private: kafka !== undefined }, 'fault lab open');
  return lab;
}
