// vitest globalSetup: makes sure a real Kafka broker and MariaDB are there for the integration tests.
//
// When EVROUTE_KAFKA_BROKERS and EVROUTE_MYSQL_URL are already set (./scripts/test.sh sets them, or you
// point them at your own servers) nothing is started. Otherwise `scripts/services.sh up` starts what is
// missing and teardown stops exactly what it started. Test workers inherit the variables.
// EVROUTE_NO_SERVICES=1 starts nothing (for a quick unit-only run); integration tests then fail loudly.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const services = fileURLToPath(new URL('./services.sh', import.meta.url));

export default function setup(): (() => void) | undefined {
  if (process.env.EVROUTE_NO_SERVICES === '1') return undefined;
  if (process.env.EVROUTE_KAFKA_BROKERS && process.env.EVROUTE_MYSQL_URL) return undefined;
  const out = execFileSync('bash', [services, 'up'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  for (const line of out.split('\n')) {
    const m = /^export (EVROUTE_[A-Z_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) process.env[m[1]] = m[2].replace(/^'(.*)'$/, '$1');
  }
  return () => {
    execFileSync('bash', [services, 'down'], { stdio: 'inherit' });
  };
}
