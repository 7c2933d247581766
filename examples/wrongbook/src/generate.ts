/**
 * The event generator: `node dist/generate.js [--to file|kafka] [--count N] [--rate R] [--seed S] ...`.
 * Realistic wrongbook streams over the shipped sample data (the same wrong questions, patterns and
 * users the dimension tables hold): out of order, duplicated, with a small rate of bad messages.
 */
import { parseArgs } from 'node:util';
import { generateStream, produceStream, writeStreamToFile } from './event-stream.js';

const HELP = `Usage: node dist/generate.js [options]

Generates wrongbook events (JSON envelopes, spec §1) over the example's sample data.

  --to file|kafka        where to (default file)
  --out <path>           file: where to write, one message per line; - for stdout (default -)
  --brokers <list>       kafka: bootstrap brokers (default localhost:9092)
  --topic <name>         kafka: the topic, created if missing (default wrongbook-events)
  --partitions <n>       kafka: partitions of a topic created here (default 3)
  --count <n>            messages in all, duplicates and bad ones included (default 5000)
  --rate <n>             messages per second (default: as fast as possible)
  --seed <n>             the same seed gives the same messages (default 1)
  --out-of-order <f>     share of messages moved to a random place (default 0.2)
  --duplicates <f>       share of messages delivered twice (default 0.05)
  --bad-rate <f>         bad messages per good one (default 0.01)
`;

function number(name: string, value: string | undefined, fallback: number | undefined, check: (n: number) => boolean): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new Error(`--${name} ${value}: not a valid value`);
  return n;
}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      to: { type: 'string', default: 'file' },
      out: { type: 'string', default: '-' },
      brokers: { type: 'string', default: 'localhost:9092' },
      topic: { type: 'string', default: 'wrongbook-events' },
      partitions: { type: 'string' },
      count: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      'out-of-order': { type: 'string' },
      duplicates: { type: 'string' },
      'bad-rate': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const fraction = (n: number): boolean => n >= 0 && n <= 1;
  const count = number('count', values.count, 5000, (n) => Number.isInteger(n) && n > 0) as number;
  const rate = number('rate', values.rate, undefined, (n) => n > 0);
  const messages = generateStream({
    count,
    seed: number('seed', values.seed, 1, Number.isInteger) as number,
    outOfOrder: number('out-of-order', values['out-of-order'], 0.2, fraction) as number,
    duplicateRate: number('duplicates', values.duplicates, 0.05, fraction) as number,
    badRate: number('bad-rate', values['bad-rate'], 0.01, (n) => n >= 0 && n < 1) as number,
  });
  const bad = messages.filter((m) => m.bad !== null).length;
  const duplicates = messages.filter((m) => m.duplicate).length;
  const started = performance.now();
  const progress = (written: number): void => {
    if (written === messages.length || written % 10_000 < 1000) process.stderr.write(`generate: ${written}/${messages.length}\r`);
  };
  if (values.to === 'file') {
    await writeStreamToFile(messages, values.out, { ...(rate === undefined ? {} : { rate }), onProgress: progress });
  } else if (values.to === 'kafka') {
    const brokers = values.brokers.split(',').map((b) => b.trim()).filter(Boolean);
    const partitions = number('partitions', values.partitions, 3, (n) => Number.isInteger(n) && n > 0) as number;
    await produceStream(messages, { connection: { brokers }, topic: values.topic, partitions, ...(rate === undefined ? {} : { rate }), onProgress: progress });
  } else {
    process.stderr.write(`generate: --to must be file or kafka, not '${values.to}'\n\n${HELP}`);
    return 2;
  }
  const where = values.to === 'file' ? (values.out === '-' ? 'stdout' : values.out) : `topic ${values.topic}`;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`generate: ${messages.length} messages (${duplicates} duplicates, ${bad} bad) to ${where} in ${seconds} s\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`generate: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
