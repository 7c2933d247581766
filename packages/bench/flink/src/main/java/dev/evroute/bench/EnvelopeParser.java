package dev.evroute.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evroute.bench.model.BusinessEvent;
import java.time.Instant;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Kafka value (JSON text) → {@link BusinessEvent} (spec §1). An undecodable message or an envelope
 * without domain/type/eventId/time is counted and dropped: the baseline has no dead-letter output.
 */
public class EnvelopeParser implements FlatMapFunction<String, BusinessEvent> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public void flatMap(String value, Collector<BusinessEvent> out) {
        BusinessEvent event = parse(value);
        if (event == null) {
            BenchCounters.UNDECODABLE.increment();
            return;
        }
        BenchCounters.PARSED.increment();
        out.collect(event);
    }

    static BusinessEvent parse(String value) {
        if (value == null) return null;
        try {
            JsonNode root = MAPPER.readTree(value);
            if (root == null || !root.isObject()) return null;
            BusinessEvent e = new BusinessEvent();
            e.domain = text(root, "domain");
            e.type = text(root, "type");
            e.eventId = text(root, "eventId");
            if (e.domain == null || e.type == null || e.eventId == null) return null;
            JsonNode ts = root.get("timestamp");
            if (ts != null && ts.isIntegralNumber()) {
                e.timestamp = ts.longValue();
            } else {
                String iso = text(root, "event_time");
                if (iso == null) return null;
                e.timestamp = Instant.parse(iso).toEpochMilli();
            }
            JsonNode payload = root.get("payload");
            if (payload == null || payload.isNull()) return null;
            e.payload = payload.isTextual() ? payload.textValue() : payload.toString();
            e.version = text(root, "version");
            e.source = text(root, "source");
            return e;
        } catch (Exception undecodable) {
            return null;
        }
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }
}
