// vitest globalSetup: makes sure a real Kafka broker and MariaDB are there for the integration tests.
//
// When EVROUTE_KAFKA_BROKERS and EVROUTE_MYSQL_URL are already set (./scripts/test.sh sets them, or you
// point them at your own servers) nothing is started. When a broker from an earlier `services.sh up` is
// still running, it is reused and left running. Otherwise `scripts/services.sh up` starts what is
// missing and teardown stops exactly that. Test workers inherit the variables.
// EVROUTE_NO_SERVICES=1 starts nothing (for a quick unit-only run); integration tests then fail loudly.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const services = fileURLToPath(new URL('./services.sh', import.meta.url));

/** Runs `services.sh <verb>` and reads back the variables its `export` lines set (shell-quoted). */
function servicesEnv(verb: 'up' | 'env'): Record<string, string> | undefined {
  const script = 'out=$(bash "$0" "$1") || exit 1; eval "$out"; env | grep "^EVROUTE_"';
  const run = spawnSync('bash', ['-c', script, services, verb], { encoding: 'utf8', stdio: ['ignore', 'pipe', verb === 'up' ? 'inherit' : 'ignore'] });
  if (run.status !== 0) return undefined;
  const vars: Record<string, string> = {};
  for (const line of run.stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) vars[line.slice(0, at)] = line.slice(at + 1);
  }
  return vars;
}

export default function setup(): (() => void) | undefined {
  if (process.env['EVROUTE_NO_SERVICES'] === '1') return undefined;
  if (process.env['EVROUTE_KAFKA_BROKERS'] && process.env['EVROUTE_MYSQL_URL']) return undefined;
  const running = servicesEnv('env');
  if (running?.['EVROUTE_KAFKA_BROKERS']) {
    for (const [k, v] of Object.entries(running)) process.env[k] ??= v; // what the user set wins
    return undefined;
  }
  const started = servicesEnv('up');
  if (!started) throw new Error('scripts/services.sh up failed: the integration tests need a real Kafka broker and MariaDB (see its messages above)');
  for (const [k, v] of Object.entries(started)) process.env[k] ??= v;
  return () => {
    execFileSync('bash', [services, 'down'], { stdio: ['ignore', 'ignore', 'inherit'] });
  };
}
