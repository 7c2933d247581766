/**
 * Addresses of the real services integration tests run against. They come from the environment
 * (`EVROUTE_KAFKA_BROKERS`, `EVROUTE_MYSQL_URL`), set by `scripts/services.sh up` or by you. A missing
 * or unreachable service is an error with instructions, never a skip.
 */
import { connect } from 'node:net';

const HOW = 'Run the tests through ./scripts/test.sh, or `eval "$(scripts/services.sh up)"` first, or set the variable to your own server.';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: this test needs a real server. ${HOW}`);
  return value;
}

/** Kafka bootstrap brokers, e.g. `['127.0.0.1:9092']`. */
export function kafkaBrokers(): string[] {
  return required('EVROUTE_KAFKA_BROKERS').split(',').map((b) => b.trim()).filter(Boolean);
}

/** The MySQL/MariaDB server URL, e.g. `mysql://root@127.0.0.1:3306`. */
export function mysqlUrl(): string {
  return required('EVROUTE_MYSQL_URL');
}

/** Resolves when a TCP connection to `host:port` succeeds; rejects with a clear message otherwise. */
export async function assertReachable(address: string, what: string, timeoutMs = 5_000): Promise<void> {
  const at = address.replace(/^[a-z]+:\/\/([^@/]*@)?/, '').replace(/\/.*$/, '');
  const [host = '127.0.0.1', portText = ''] = at.split(':');
  const port = Number(portText);
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const fail = (why: string): void => {
      socket.destroy();
      reject(new Error(`${what} at ${host}:${port} is not reachable (${why}). ${HOW}`));
    };
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => fail('timed out'));
    socket.once('error', (error) => fail(error.message));
  });
}

/** The Kafka brokers, after checking the first one answers: call it in `beforeAll` of Kafka tests. */
export async function requireKafka(): Promise<string[]> {
  const brokers = kafkaBrokers();
  await assertReachable(brokers[0] ?? '', 'Kafka (EVROUTE_KAFKA_BROKERS)');
  return brokers;
}

/** The MySQL URL, after checking the server answers: call it in `beforeAll` of MySQL tests. */
export async function requireMysql(): Promise<string> {
  const url = mysqlUrl();
  await assertReachable(url, 'MySQL/MariaDB (EVROUTE_MYSQL_URL)');
  return url;
}
