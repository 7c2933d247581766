/**
 * Every log line the suite produces: the router processes' stdout and stderr, the private servers'
 * output, and the suite's own pino logger. Kept in memory (for the secrets scan and for failure
 * reports) and appended to a file under the OS temp folder (named in failure messages).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** Every form of `secret` a log line could carry it in: as is, URL-encoded, base64, hex. */
export function secretForms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex')];
}

/** One captured line and where it came from. */
export interface CapturedLine {
  readonly from: string;
  readonly line: string;
}

/** Collects log lines; see the module comment. */
export class LogCapture {
  readonly lines: CapturedLine[] = [];
  /** The file every line is appended to. */
  readonly file: string;
  readonly #partial = new Map<string, string>();

  constructor(name: string) {
    const dir = join(tmpdir(), 'evroute-faults');
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}-${Date.now()}-${process.pid}.log`);
  }

  /** Adds a chunk of output from `from`; complete lines are recorded, a trailing partial line waits. */
  write(from: string, chunk: string | Buffer): void {
    const text = (this.#partial.get(from) ?? '') + chunk.toString();
    const parts = text.split('\n');
    this.#partial.set(from, parts.pop() ?? '');
    for (const line of parts) if (line !== '') this.#add(from, line);
  }

  /** Records what is left of partial lines (a process ended without a final newline). */
  flush(from: string): void {
    const rest = this.#partial.get(from);
    this.#partial.delete(from);
    if (rest) this.#add(from, rest);
  }

  #add(from: string, line: string): void {
    this.lines.push({ from, line });
    appendFileSync(this.file, `[${from}] ${line}\n`);
  }

  /** A pino logger whose lines are captured under `from`. */
  logger(from: string, level: 'info' | 'debug' = 'info'): Logger {
    const stream = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.write(from, chunk);
        done();
      },
    });
    return pino({ level, base: { from } }, stream);
  }

  /** Lines (with their source) that contain any of `secrets`. */
  linesContaining(secrets: readonly string[]): CapturedLine[] {
    const wanted = secrets.filter((s) => s.length > 0);
    return this.lines.filter(({ line }) => wanted.some((s) => line.includes(s)));
  }

  /** The last `n` lines from `from` (for failure reports). */
  tail(from: string, n: number): string[] {
    return this.lines.filter((l) => l.from === from).slice(-n).map((l) => l.line);
  }
}
