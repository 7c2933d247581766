/**
 * The child's side of the gates (see `ipc.ts`): report a gate to the parent and, in `hold` mode, wait
 * for its release. The parent may never release (it SIGKILLs the process at the gate instead).
 */
import type { ChildMessage, CommitOffset, GateMode, GatePoint } from './ipc.js';

/** Sends one message to the parent; a lost parent ends the process (nothing would observe it). */
export function send(message: ChildMessage): void {
  if (!process.connected || process.send === undefined) return;
  process.send(message);
}

/** Reports gates and waits for releases. */
export class ChildGates {
  readonly #modes: Readonly<Partial<Record<GatePoint, GateMode>>>;
  readonly #waiting = new Map<number, () => void>();
  #next = 0;
  #draining = false;

  constructor(modes: Readonly<Partial<Record<GatePoint, GateMode>>>) {
    this.#modes = modes;
  }

  /** True when the point is reported at all (lets callers skip building the report). */
  active(point: GatePoint): boolean {
    return this.#modes[point] !== undefined;
  }

  /** Reports `point`; in `hold` mode resolves when the parent releases it. */
  pass(point: GatePoint, detail: { records?: number; offsets?: readonly CommitOffset[] } = {}): Promise<void> {
    const mode = this.#modes[point];
    if (mode === undefined) return Promise.resolve();
    const id = ++this.#next;
    send({ t: 'gate', id, point, ...detail });
    if (mode === 'notify' || this.#draining) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.set(id, resolve));
  }

  /** The parent's release of gate `id`. */
  release(id: number): void {
    const resolve = this.#waiting.get(id);
    this.#waiting.delete(id);
    resolve?.();
  }

  /** Lets every held gate go and holds no more (on a graceful stop, so the drain can finish). */
  releaseAll(): void {
    this.#draining = true;
    for (const resolve of this.#waiting.values()) resolve();
    this.#waiting.clear();
  }
}
