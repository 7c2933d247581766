// The in-memory and file-based parts pass the same conformance suites as the real adapters.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryConfigSource, JsonFileConfigSource, JsonlDeadLetterSink, JsonlFileSink, type SinkRecord } from '@evroute/core';
import { MemoryDeadLetterSink, MemoryLog, MemorySink, MemorySource } from '@evroute/testkit';
import { configSourceConformance, deadLetterConformance, sinkConformance, sourceConformance } from '@evroute/testkit/conformance';

const record = (i: number): SinkRecord => ({ output: 'out', spec: {}, target: 't', key: `k${i}`, value: { n: i }, headers: {} });

sinkConformance('MemorySink', () => {
  const sink = new MemorySink();
  return Promise.resolve({ sink, record, idempotent: false, read: () => Promise.resolve(sink.records.map((r) => r.value)), expected: (i: number) => ({ n: i }) });
});

sinkConformance('JsonlFileSink', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'evr-sink-')), 'out.jsonl');
  const read = (): Promise<unknown[]> =>
    Promise.resolve(existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { value: unknown }).value) : []);
  return Promise.resolve({ sink: new JsonlFileSink({ path }), record, idempotent: false, read, expected: (i: number) => ({ n: i }) });
});

deadLetterConformance('MemoryDeadLetterSink', () => {
  const sink = new MemoryDeadLetterSink();
  return Promise.resolve({ sink, readValues: () => Promise.resolve(sink.records.map((r) => Buffer.from(r.value as Uint8Array))) });
});

deadLetterConformance('JsonlDeadLetterSink', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'evr-dlq-')), 'dead.jsonl');
  const readValues = (): Promise<Buffer[]> =>
    Promise.resolve(
      readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { value: string; valueEncoding: string })
        .map((r) => Buffer.from(r.value, r.valueEncoding === 'base64' ? 'base64' : 'utf8')),
    );
  return Promise.resolve({ sink: new JsonlDeadLetterSink({ path }), readValues });
});

sourceConformance('MemorySource', () => {
  const log = new MemoryLog({ partitions: 3 });
  return Promise.resolve({
    source: () => new MemorySource(log, { batchSize: 16 }),
    produce: (values: readonly string[]) => Promise.resolve(void log.append(values.map((value, i) => ({ value, key: `k${i % 7}` })))),
  });
});

configSourceConformance('InMemoryConfigSource', () => {
  const source = new InMemoryConfigSource();
  return Promise.resolve({ source, settleMs: 0, write: (routes) => Promise.resolve(source.set(routes)) });
});

configSourceConformance('JsonFileConfigSource', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'evr-routes-')), 'routes.json');
  writeFileSync(path, '[]');
  return Promise.resolve({
    source: new JsonFileConfigSource({ path }),
    settleMs: 2_000,
    write: (routes) => Promise.resolve(writeFileSync(path, JSON.stringify({ routes }))),
  });
});
