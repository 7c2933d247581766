/**
 * The `audit` message (spec §6): who removed which wrong question, when and why. Times are epoch ms.
 */
import type { DeletePayload, DeleteRow } from '@evroute/wrongbook';

/** The JSON body of an `audit` message for a delete. */
export function auditMessage(row: DeleteRow, payload: DeletePayload): Record<string, unknown> {
  return {
    action: 'wrongbook_delete',
    wrong_id: row.wrong_id,
    user_id: row.user_id,
    delete_time: payload.deleteTime,
    delete_reason: payload.deleteReason,
    delete_source: payload.deleteSource,
    event_id: row.event_id,
    event_type: row.event_type,
    process_time: row.process_time?.getTime() ?? null,
  };
}
