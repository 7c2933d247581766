/**
 * The out-of-order counter, kept inside a router process: the records of one partition must reach the
 * wide-table sink in offset order (docs/architecture.md, "Lanes"). The tracker learns each delivered
 * record's position by its `eventId` (delivery wrapper) and checks the positions of the records the
 * sink is asked to write (sink wrapper). A redelivery (a rebalance or restart replays from the committed
 * offset) starts the partition's order afresh, since replayed records are written again on purpose.
 */

interface Position {
  readonly partition: number;
  readonly offset: bigint;
}

/** Counts sink writes that go back in offset order within a partition. */
export class OrderTracker {
  /** Delivered, not yet written positions per eventId (a duplicated event has several), in order. */
  readonly #pending = new Map<string, Position[]>();
  readonly #lastDelivered = new Map<number, bigint>();
  readonly #lastWritten = new Map<number, bigint>();
  readonly #details: string[] = [];
  #outOfOrder = 0;

  /** Records handed to the pipeline, in delivery order. */
  delivered(records: readonly { readonly value: unknown; readonly partition: number; readonly offset: string }[]): void {
    for (const record of records) {
      const offset = BigInt(record.offset);
      const last = this.#lastDelivered.get(record.partition);
      if (last !== undefined && offset <= last) this.restart(record.partition);
      this.#lastDelivered.set(record.partition, offset);
      const eventId = eventIdOf(record.value);
      if (eventId === undefined) continue;
      const list = this.#pending.get(eventId);
      if (list === undefined) this.#pending.set(eventId, [{ partition: record.partition, offset }]);
      else list.push({ partition: record.partition, offset });
    }
  }

  /** The partition is replayed from an earlier offset (or moved): its written order starts again. */
  restart(partition?: number): void {
    if (partition === undefined) this.#lastWritten.clear();
    else this.#lastWritten.delete(partition);
  }

  /** Records in one sink write, in the order the batch holds them; call once per batch, not per retry. */
  written(records: readonly { readonly eventId?: string | undefined }[]): void {
    for (const record of records) {
      if (record.eventId === undefined) continue;
      const list = this.#pending.get(record.eventId);
      const position = list?.shift();
      if (list !== undefined && list.length === 0) this.#pending.delete(record.eventId);
      if (position === undefined) continue; // not delivered by this process (cannot happen) or not tracked
      const last = this.#lastWritten.get(position.partition);
      if (last !== undefined && position.offset < last) {
        this.#outOfOrder++;
        if (this.#details.length < 10) this.#details.push(`partition ${position.partition}: offset ${position.offset} written after ${last} (${record.eventId})`);
      }
      if (last === undefined || position.offset > last) this.#lastWritten.set(position.partition, position.offset);
    }
  }

  /** Writes seen out of order so far, with the first few described. */
  report(): { outOfOrder: number; details: readonly string[] } {
    return { outOfOrder: this.#outOfOrder, details: [...this.#details] };
  }
}

/** The envelope's `eventId`, read cheaply; undefined for anything that is not a JSON envelope. */
function eventIdOf(value: unknown): string | undefined {
  let text: string;
  if (value instanceof Uint8Array) text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  else if (typeof value === 'string') text = value;
  else return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    const id = typeof parsed === 'object' && parsed !== null ? (parsed as { eventId?: unknown }).eventId : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
