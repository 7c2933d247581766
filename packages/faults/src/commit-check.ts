/**
 * Invariant "committed offsets never ahead of DB commits", checked at every commit while the run goes
 * on. A router process holds each offset commit at its `before-commit` gate; the suite then reads the
 * database: every message of that partition below the offset about to be committed must already be in
 * it (a valid event reflected in its row, a bad one in the dead-letter table). Only then is the commit
 * released. The wide table and the dead-letter table only move forward (merges are monotone, nothing is
 * deleted), so what was verified stays true, and each partition is verified from where it was last.
 *
 * While the database is unreachable (an outage), the check waits for it and so does the commit.
 */
import { reflects, type Expected } from './expectations.js';
import type { RunDatabase } from './run-database.js';
import { waitUntil } from './processes.js';

/** Counters of the commit checks. */
export interface CommitCheckStats {
  readonly checked: number;
  readonly ahead: number;
  readonly details: readonly string[];
}

/** Verifies commits against the database; see the module comment. */
export class CommitChecker {
  readonly #db: RunDatabase;
  readonly #topic: string;
  readonly #expected = new Map<number, Expected[]>();
  readonly #verified = new Map<number, bigint>();
  readonly #details: string[] = [];
  #checked = 0;
  #ahead = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(db: RunDatabase, topic: string) {
    this.#db = db;
    this.#topic = topic;
  }

  /** Adds the expectations of produced messages (as they are produced). */
  add(expected: readonly Expected[]): void {
    for (const e of expected) {
      const list = this.#expected.get(e.produced.partition) ?? [];
      list.push(e);
      this.#expected.set(e.produced.partition, list);
    }
  }

  /** Checks one commit (serialised with the others); resolves when the commit may go out. */
  check(offsets: readonly { readonly topic: string; readonly partition: number; readonly offset: string }[]): Promise<void> {
    const run = this.#queue.then(() => this.#check(offsets));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #check(offsets: readonly { readonly topic: string; readonly partition: number; readonly offset: string }[]): Promise<void> {
    for (const { topic, partition, offset } of offsets) {
      if (topic !== this.#topic) continue;
      const to = BigInt(offset);
      const from = this.#verified.get(partition) ?? 0n;
      this.#checked++;
      if (to <= from) continue;
      // The broker may hand a message to the router before the suite has its produce response: wait
      // until every offset below the commit is known (copies of a retried send never will be).
      const known = (): Expected[] => (this.#expected.get(partition) ?? []).filter((e) => e.produced.offset >= from && e.produced.offset < to);
      const due = await waitUntil(() => (known().length >= Number(to - from) ? known() : undefined), { timeoutMs: 15_000, what: `offsets below ${offset} of partition ${partition} are in the ledger` }).catch(() => known());
      const missing = await waitUntil(() => this.#missing(partition, from, to, due), { timeoutMs: 120_000, what: `the database answers the commit check of ${topic}/${partition}@${offset}` });
      if (missing.length > 0) {
        this.#ahead++;
        if (this.#details.length < 10) this.#details.push(`commit ${topic}/${partition}@${offset} is ahead of the database: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
      }
      this.#verified.set(partition, to);
    }
  }

  /** The messages in [from, to) not yet in the database (an array, truthy even when empty, for waitUntil). */
  async #missing(partition: number, from: bigint, to: bigint, due: readonly Expected[]): Promise<string[]> {
    const rowsExpected = due.flatMap((e) => (e.expectation.kind === 'row' ? [e] : []));
    const rows = await this.#db.reflectingColumns(rowsExpected.map((e) => (e.expectation as { wrongId: string }).wrongId));
    const dead = due.some((e) => e.expectation.kind === 'dlq') ? await this.#db.deadLettersBetween(this.#topic, partition, from, to) : new Map<bigint, string[]>();
    const missing: string[] = [];
    for (const e of due) {
      const x = e.expectation;
      const ok = x.kind === 'none' || (x.kind === 'row' ? reflects(x, rows.get(x.wrongId)) : (dead.get(e.produced.offset)?.length ?? 0) > 0);
      if (!ok) missing.push(`${e.produced.message.label}@${e.produced.offset}`);
    }
    return missing;
  }

  /** What was checked and found so far. */
  stats(): CommitCheckStats {
    return { checked: this.#checked, ahead: this.#ahead, details: [...this.#details] };
  }
}
