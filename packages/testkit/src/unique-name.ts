import { randomBytes } from 'node:crypto';

/**
 * A name no other test run uses, for topics, groups, databases and tables: `<prefix>_<time>_<random>`,
 * made of `[a-z0-9_]` only so it is a valid Kafka topic and SQL identifier alike.
 */
export function uniqueName(prefix = 'evr'): string {
  const safe = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return `${safe}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}
