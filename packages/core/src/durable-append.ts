/**
 * An append-only file whose appends are durable when they resolve (written, then fsynced): what the
 * JSONL sinks need so that an event is acknowledged only after its line is on disk.
 */
import { open, type FileHandle } from 'node:fs/promises';

export class DurableAppendFile {
  readonly #path: string;
  #file: FileHandle | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  /** Opens (creating) the file; appends open it too when needed. */
  async open(): Promise<void> {
    this.#file ??= await open(this.#path, 'a');
  }

  /** Appends one line per item (`render` makes the line without its newline) and fsyncs. */
  async appendLines<T>(items: readonly T[], render: (item: T) => string): Promise<void> {
    await this.open();
    await this.#file!.appendFile(items.map((item) => `${render(item)}\n`).join(''), 'utf8');
    await this.#file!.sync();
  }

  async close(): Promise<void> {
    await this.#file?.close();
    this.#file = undefined;
  }
}
