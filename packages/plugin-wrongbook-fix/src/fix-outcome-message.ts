/**
 * The `fix_metrics` message (spec §6): the outcome of one fix, for the fix-rate dashboards of the
 * original deployment (success rate per window, time to fix). Times are epoch ms.
 */
import type { FixPayload, FixRow } from '@evroute/wrongbook';

/** The JSON body of a `fix_metrics` message for a fix. */
export function fixOutcomeMessage(row: FixRow, payload: FixPayload): Record<string, unknown> {
  const collected = row.collect_time?.getTime() ?? null;
  return {
    fix_id: row.fix_id,
    wrong_id: row.wrong_id,
    user_id: row.user_id,
    subject: row.subject,
    subject_name: row.subject_name,
    question_id: row.question_id,
    pattern_id: row.pattern_id,
    fix_result: row.fix_result,
    fix_result_desc: row.fix_result_desc,
    fix_time: payload.fixTime,
    collect_time: collected,
    /** From collection to correction, ms; null when the collection time is unknown. */
    time_to_fix_ms: collected === null ? null : payload.fixTime - collected,
    fix_duration: payload.fixDuration,
    fix_attempts: payload.fixAttempts,
    fix_method: payload.fixMethod,
    fix_source: payload.fixSource,
    is_correct: payload.isCorrect,
    confidence_score: payload.confidenceScore,
    event_id: row.event_id,
    event_type: row.event_type,
    process_time: row.process_time?.getTime() ?? null,
  };
}
