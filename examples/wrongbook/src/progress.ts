/**
 * A progress bar for the command line: redrawn in place on stderr when it is a terminal, a plain line
 * every 10 % otherwise (CI logs, pipes). Messages printed through {@link Progress.say} go to stdout
 * without tearing the bar.
 */

/** Something to write to, such as `process.stderr`. */
export interface Terminal {
  readonly isTTY?: boolean;
  write(text: string): boolean;
}

const WIDTH = 30;

/** See the module comment. */
export class Progress {
  readonly #err: Terminal;
  readonly #out: Terminal;
  readonly #total: number;
  readonly #label: string;
  #line = '';
  #lastStep = -1;

  constructor(options: { readonly total: number; readonly label: string; readonly err?: Terminal; readonly out?: Terminal }) {
    this.#total = Math.max(1, options.total);
    this.#label = options.label;
    this.#err = options.err ?? process.stderr;
    this.#out = options.out ?? process.stdout;
  }

  /** Redraws the bar for `done` of the total, with `detail` after it. */
  update(done: number, detail = ''): void {
    const share = Math.min(1, done / this.#total);
    const text = `${this.#label} [${'#'.repeat(Math.round(share * WIDTH)).padEnd(WIDTH, '-')}] ${String(Math.floor(share * 100)).padStart(3)}% ${done.toLocaleString('en-US')}/${this.#total.toLocaleString('en-US')}${detail ? `  ${detail}` : ''}`;
    if (this.#err.isTTY === true) {
      this.#line = text;
      this.#err.write(`\r\x1b[2K${text}`);
      return;
    }
    const step = Math.floor(share * 10);
    if (step > this.#lastStep) {
      this.#lastStep = step;
      this.#err.write(`${text}\n`);
    }
  }

  /** Prints a line on stdout above the bar. */
  say(line: string): void {
    if (this.#err.isTTY === true && this.#line !== '') this.#err.write('\r\x1b[2K');
    this.#out.write(`${line}\n`);
    if (this.#err.isTTY === true && this.#line !== '') this.#err.write(this.#line);
  }

  /** Leaves the bar's last state on its own line. */
  finish(): void {
    if (this.#err.isTTY === true && this.#line !== '') this.#err.write('\n');
    this.#line = '';
  }
}
