/**
 * The real Kafka broker and MariaDB the benchmarks run against, as scripts/test.sh gets them: use the
 * ones named by EVROUTE_KAFKA_BROKERS and EVROUTE_MYSQL_URL, else the ones `scripts/services.sh up`
 * started earlier, else start them now and stop them again when the run ends.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs bash with `args` in the repository root; its stderr goes to ours; resolves to its stdout. */
function bash(args: readonly string[]): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ stdout }) : reject(new Error(`bash ${args.join(' ')} exited with ${code}`))));
  });
}
/** The repository root (packages/bench/dist → ../../..). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Where the services are, and whether this run started them. */
export interface Services {
  readonly brokers: string[];
  readonly mysqlUrl: string;
  readonly kafkaVersion: string;
  readonly mariadbVersion: string;
  /** Stops what this run started (the broker); a no-op otherwise. */
  down(): Promise<void>;
}

const PRINT = 'printf "%s\\n" "$EVROUTE_KAFKA_BROKERS" "$EVROUTE_MYSQL_URL" "${EVROUTE_KAFKA_VERSION:-external}" "${EVROUTE_MARIADB_VERSION:-external}"';

/** Finds or starts the services. Progress of `services.sh` goes to this process's stderr. */
export async function ensureServices(log: (line: string) => void): Promise<Services> {
  const env = process.env;
  if (env['EVROUTE_KAFKA_BROKERS'] && env['EVROUTE_MYSQL_URL']) {
    return describe([env['EVROUTE_KAFKA_BROKERS'], env['EVROUTE_MYSQL_URL'], env['EVROUTE_KAFKA_VERSION'] ?? 'external', env['EVROUTE_MARIADB_VERSION'] ?? 'external'], false);
  }
  const running = await bash(['-c', 'bash scripts/services.sh env >/dev/null 2>&1']).then(
    () => true,
    () => false,
  );
  log(running ? 'services: reusing the running Kafka broker and MariaDB' : 'services: starting Kafka and MariaDB (scripts/services.sh up)');
  // `up` reuses what runs and starts what is missing; its export lines are evaluated by bash itself.
  const { stdout } = await bash(['-c', `set -e; out=$(bash scripts/services.sh up); eval "$out"; ${PRINT}`]);
  return describe(stdout.trim().split('\n'), !running && !env['EVROUTE_KAFKA_BROKERS']);
}

function describe(lines: readonly string[], started: boolean): Services {
  const [brokers = '', mysqlUrl = '', kafkaVersion = 'unknown', mariadbVersion = 'unknown'] = lines;
  if (brokers === '' || mysqlUrl === '') throw new Error(`scripts/services.sh gave no broker or MariaDB address: ${JSON.stringify(lines)}`);
  // Children (pipeline instances, the Flink driver) find the services through the environment too.
  process.env['EVROUTE_KAFKA_BROKERS'] = brokers;
  process.env['EVROUTE_MYSQL_URL'] = mysqlUrl;
  return {
    brokers: brokers.split(','),
    mysqlUrl,
    kafkaVersion,
    mariadbVersion,
    down: async () => {
      if (started) await bash(['-c', 'bash scripts/services.sh down >/dev/null']);
    },
  };
}
