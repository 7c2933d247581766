/**
 * The `wrongbook_delete` payload (spec §2): the question was removed from the wrongbook. Reads both
 * spellings and checks the spec's validation rules; see `payload-reader.ts` for the representation
 * rules.
 */
import { PayloadReader, finishRead, type Normalized, type NormalizeOptions } from './payload-reader.js';

/** Longest `delete_reason` the wide table stores (`VARCHAR(255)`); longer text is cut. */
export const MAX_DELETE_REASON = 255;

/** A valid `wrongbook_delete` payload. Optional fields are `null` when absent. */
export interface DeletePayload {
  readonly wrongId: string;
  readonly userId: string;
  /** When the question was removed, epoch ms. */
  readonly deleteTime: number;
  readonly deleteReason: string | null;
  /** Who removed it, e.g. `user`, `system`, `batch` (goes to the audit output, not the wide table). */
  readonly deleteSource: string | null;
}

/** Reads and validates a `wrongbook_delete` payload: `wrong_id`, `user_id` non-empty, `delete_time` a valid time. */
export function normalizeDelete(payload: Readonly<Record<string, unknown>>, options: NormalizeOptions): Normalized<DeletePayload> {
  const r = new PayloadReader(payload, options.now, options.maxFutureMs);
  const required = { required: true } as const;
  const wrongId = r.id('wrong_id', required);
  const userId = r.id('user_id', required);
  const deleteTime = r.time('delete_time', required);
  const del: DeletePayload = {
    wrongId: wrongId ?? '',
    userId: userId ?? '',
    deleteTime: deleteTime ?? 0,
    deleteReason: r.text('delete_reason', { truncateTo: MAX_DELETE_REASON }),
    deleteSource: r.text('delete_source'),
  };
  return finishRead(r, del);
}
