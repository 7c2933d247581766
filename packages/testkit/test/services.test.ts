import { afterEach, describe, expect, it } from 'vitest';
import { requireKafka, requireMysql } from '@evroute/testkit';

describe('service checks fail loudly instead of skipping', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env['EVROUTE_KAFKA_BROKERS'] = saved['EVROUTE_KAFKA_BROKERS'];
    process.env['EVROUTE_MYSQL_URL'] = saved['EVROUTE_MYSQL_URL'];
  });

  it('names the unreachable Kafka broker and says how to provide one', async () => {
    process.env['EVROUTE_KAFKA_BROKERS'] = '127.0.0.1:1';
    await expect(requireKafka()).rejects.toThrow(/Kafka \(EVROUTE_KAFKA_BROKERS\) at 127\.0\.0\.1:1 is not reachable.*scripts\/services\.sh up/);
  });

  it('says which variable is missing', async () => {
    delete process.env['EVROUTE_MYSQL_URL'];
    await expect(requireMysql()).rejects.toThrow(/EVROUTE_MYSQL_URL is not set/);
  });
});
