/**
 * The order rows of a batch are written in: by their key values, so that concurrent writers take row
 * locks in the same order and rarely deadlock (and a batch's effect does not depend on arrival order
 * within a key, since the sort is stable).
 */

/** The key values of `row`, in key-column order. */
export function keyOf(key: readonly string[], row: Readonly<Record<string, unknown>>): readonly unknown[] {
  return key.map((column) => row[column]);
}

const INTEGER = /^-?\d+$/;

function compareValue(a: unknown, b: unknown): number {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string' && INTEGER.test(a) && INTEGER.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = typeof a === 'string' ? a : JSON.stringify(a, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  const y = typeof b === 'string' ? b : JSON.stringify(b, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Orders key tuples: numbers and integer strings numerically, anything else by its text. */
export function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const order = compareValue(a[i], b[i]);
    if (order !== 0) return order;
  }
  return 0;
}
