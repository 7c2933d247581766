package dev.evroute.bench.processor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evroute.bench.model.BusinessEvent;
import dev.evroute.bench.model.WideRow;

/**
 * {@code wrongbook:wrongbook_fix}: maps the fix payload (spec §2) onto the fix columns, plus the
 * add-side columns the fix carries (the upsert fills them only while NULL). No enrichment.
 */
public class WrongbookFixProcessor implements EventProcessor {
    @Override
    public WideRow process(BusinessEvent event) throws Exception {
        long now = System.currentTimeMillis();
        JsonNode p = Payloads.parse(event.payload);
        WideRow row = new WideRow();
        row.kind = WideRow.FIX;
        try {
            row.fixId = Payloads.required(p, "fix_id", "fixId");
            row.wrongId = Payloads.required(p, "wrong_id", "wrongId");
            row.userId = Payloads.required(p, "user_id", "userId");
            Long fixResult = Payloads.integer(p, "fix_result", "fixResult");
            if (fixResult == null || (fixResult != 0 && fixResult != 1)) throw new IllegalArgumentException("fix_result must be 0 or 1");
            Long fixTime = Payloads.time(p, "fix_time", "fixTime", now);
            if (fixTime == null) fixTime = Payloads.time(p, "submit_time", "submitTime", now);
            if (fixTime == null) throw new IllegalArgumentException("fix_time is required");
            Long createTime = Payloads.time(p, "create_time", "createTime", now);
            if (createTime != null && createTime > fixTime) throw new IllegalArgumentException("create_time is after fix_time");
            row.fixResult = fixResult.intValue();
            row.fixTime = fixTime;
            row.collectTime = createTime;
            String desc = Payloads.text(p, "fix_result_desc", "fixResultDesc");
            row.fixResultDesc = desc != null ? desc : Payloads.fixResultDesc(row.fixResult);
            row.questionId = Payloads.text(p, "question_id", "questionId");
            String[] subject = Payloads.knownSubject(Payloads.text(p, "subject", null));
            if (subject != null) {
                row.subject = subject[0];
                row.subjectName = subject[1];
            }
            row.patternId = Payloads.text(p, "pattern_id", "patternId");
            row.chapterId = Payloads.text(p, "chapter_id", "chapterId");
        } catch (IllegalArgumentException invalid) {
            return null;
        }
        row.id = Payloads.wrongId64(row.wrongId);
        row.isDeleted = 0;
        row.eventId = event.eventId;
        row.eventType = event.type;
        row.processTime = now;
        return row;
    }
}
