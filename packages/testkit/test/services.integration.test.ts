// Proves the test services are real: a Kafka broker that keeps committed offsets across consumer
// restarts, and a MariaDB that stores rows.
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import mysql from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireKafka, requireMysql, uniqueName, waitFor } from '@evroute/testkit';

describe('real Kafka broker', () => {
  let kafka: Kafka;
  beforeAll(async () => {
    kafka = new Kafka({ clientId: 'evroute-smoke', brokers: await requireKafka(), logLevel: logLevel.NOTHING });
  });

  it('delivers 1,000 messages to a consumer group and resumes from committed offsets after a restart', async () => {
    const topic = uniqueName('smoke');
    const groupId = uniqueName('group');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 1_000 }, (_, i) => ({ key: `k${i % 17}`, value: String(i) })) });
    await producer.disconnect();

    // First consumer: reads everything, commits only the first 400 it sees.
    const seen1: string[] = [];
    const consumer1: Consumer = kafka.consumer({ groupId });
    await consumer1.connect();
    await consumer1.subscribe({ topic, fromBeginning: true });
    await consumer1.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        seen1.push(message.value!.toString());
        if (seen1.length <= 400) await consumer1.commitOffsets([{ topic, partition, offset: String(BigInt(message.offset) + 1n) }]);
      },
    });
    await waitFor(() => seen1.length === 1_000, { timeout: 30_000, message: 'first consumer reads 1,000 messages' });
    await consumer1.disconnect();
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedTotal = committed[0]!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0); // -1: none committed
    expect(committedTotal).toBe(400);

    // Second consumer in the same group resumes exactly there: the 600 uncommitted, none of the others.
    const seen2: string[] = [];
    const consumer2 = kafka.consumer({ groupId });
    await consumer2.connect();
    await consumer2.subscribe({ topic, fromBeginning: true });
    await consumer2.run({ eachMessage: async ({ message }) => void seen2.push(message.value!.toString()) });
    await waitFor(() => seen2.length >= 600, { timeout: 30_000, message: 'second consumer reads the 600 uncommitted messages' });
    await consumer2.disconnect();
    expect(seen2).toHaveLength(600);
    expect(new Set([...seen1.slice(0, 400), ...seen2]).size).toBe(1_000);
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });
});

describe('real MariaDB', () => {
  let url: string;
  beforeAll(async () => {
    url = await requireMysql();
  });

  it('creates a database, writes and reads rows, and drops it', async () => {
    const database = uniqueName('smoke');
    const conn = await mysql.createConnection(url);
    try {
      await conn.query(`CREATE DATABASE \`${database}\``);
      await conn.query(`CREATE TABLE \`${database}\`.t (id INT PRIMARY KEY, v VARCHAR(20))`);
      await conn.query(`INSERT INTO \`${database}\`.t (id, v) VALUES ?`, [[[1, 'one'], [2, 'two'], [3, 'three']]]);
      const [rows] = await conn.query(`SELECT id, v FROM \`${database}\`.t ORDER BY id`);
      expect(rows).toEqual([{ id: 1, v: 'one' }, { id: 2, v: 'two' }, { id: 3, v: 'three' }]);
      const [version] = await conn.query('SELECT VERSION() AS v');
      expect((version as { v: string }[])[0]!.v).toMatch(/MariaDB|^\d/);
    } finally {
      await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await conn.end();
    }
    const check = await mysql.createConnection(url);
    const [dbs] = await check.query('SHOW DATABASES LIKE ?', [database]);
    await check.end();
    expect(dbs).toEqual([]);
  });
});

