/**
 * The `wrong_answers` message (spec §6): what the original job sent to `wrongbook-wide-table-output`
 * for an add with `result = 0`, the wide-table row, plus the answer fields of the payload. Times are
 * epoch ms.
 */
import { rowToMessage, type AddPayload, type AddRow } from '@evroute/wrongbook';

/** The JSON body of a `wrong_answers` message for an add. */
export function wrongAnswerMessage(row: AddRow, payload: AddPayload): Record<string, unknown> {
  return {
    ...rowToMessage(row),
    result: payload.result,
    answer_record_id: payload.answerRecordId,
    answer: payload.answer,
    analysis: payload.analysis,
    difficulty: payload.difficulty,
    submit_time: payload.submitTime,
    collect_reason: payload.collectReason,
    collect_source: payload.collectSource,
    origin: payload.origin,
    q_type: payload.qType,
  };
}
