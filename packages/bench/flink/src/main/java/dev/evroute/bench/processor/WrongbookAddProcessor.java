package dev.evroute.bench.processor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evroute.bench.model.BusinessEvent;
import dev.evroute.bench.model.WideRow;

/**
 * {@code wrongbook:wrongbook_add}: maps the add payload (spec §2) onto the wide table's add-side
 * columns. No dimension enrichment (pattern_name, teach_type_*, and the fallbacks from
 * wrong_question_record stay NULL): the baseline measures the routing and write path only.
 */
public class WrongbookAddProcessor implements EventProcessor {
    @Override
    public WideRow process(BusinessEvent event) throws Exception {
        long now = System.currentTimeMillis();
        JsonNode p = Payloads.parse(event.payload);
        WideRow row = new WideRow();
        row.kind = WideRow.ADD;
        try {
            row.wrongId = Payloads.required(p, "wrong_id", "wrongId");
            row.userId = Payloads.required(p, "user_id", "userId");
            row.questionId = Payloads.required(p, "question_id", "questionId");
            Long createTime = Payloads.time(p, "create_time", "createTime", now);
            if (createTime == null) throw new IllegalArgumentException("create_time is required");
            Payloads.time(p, "submit_time", "submitTime", now);
            row.collectTime = createTime;
            String[] subject = Payloads.knownSubject(Payloads.text(p, "subject", null));
            if (subject != null) {
                row.subject = subject[0];
                row.subjectName = subject[1];
            }
            row.question = Payloads.text(p, "question", null);
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
