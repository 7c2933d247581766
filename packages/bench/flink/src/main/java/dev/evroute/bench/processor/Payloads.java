package dev.evroute.bench.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Payload helpers shared by the wrongbook processors (shared/spec/wrongbook.md §2, §4, §5). */
final class Payloads {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Times more than 5 minutes in the future are invalid (spec §2). */
    static final long FUTURE_SLACK_MS = 5 * 60 * 1000L;

    private static final Map<String, String[]> SUBJECTS = new HashMap<>();

    static {
        subject("MATH", "数学", "shuxue");
        subject("CHINESE", "语文", "yuwen");
        subject("ENGLISH", "英语", "yingyu");
        subject("PHYSICS", "物理", "wuli");
        subject("CHEMISTRY", "化学", "huaxue");
        subject("BIOLOGY", "生物", "shengwu");
        subject("AOSHU", "数学思维", null);
        subject("SCIENCE", "科学", null);
    }

    private static void subject(String code, String name, String pinyin) {
        SUBJECTS.put(code.toLowerCase(Locale.ROOT), new String[] {code, name});
        if (pinyin != null) SUBJECTS.put(pinyin, new String[] {code, name});
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private Payloads() {}

    static JsonNode parse(String payloadJson) throws java.io.IOException {
        return MAPPER.readTree(payloadJson);
    }

    /** The field under its snake_case name, else its camelCase spelling; null when absent or JSON null. */
    static JsonNode field(JsonNode payload, String snake, String camel) {
        JsonNode v = payload.get(snake);
        if ((v == null || v.isNull()) && camel != null) v = payload.get(camel);
        return v == null || v.isNull() ? null : v;
    }

    /** A string field (numbers are rendered as text); null when absent or empty. */
    static String text(JsonNode payload, String snake, String camel) {
        JsonNode v = field(payload, snake, camel);
        if (v == null) return null;
        String s = v.isTextual() ? v.textValue() : v.toString();
        return s.isEmpty() ? null : s;
    }

    /** An integral field; a numeric string is accepted; null when absent; throws on anything else. */
    static Long integer(JsonNode payload, String snake, String camel) {
        JsonNode v = field(payload, snake, camel);
        if (v == null) return null;
        if (v.isIntegralNumber()) return v.longValue();
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.textValue().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(snake + " is not an integer");
            }
        }
        throw new IllegalArgumentException(snake + " is not an integer");
    }

    /** A time in epoch ms: non-negative and not more than 5 minutes in the future. */
    static Long time(JsonNode payload, String snake, String camel, long now) {
        Long t = integer(payload, snake, camel);
        if (t == null) return null;
        if (t < 0) throw new IllegalArgumentException(snake + " is negative");
        if (t > now + FUTURE_SLACK_MS) throw new IllegalArgumentException(snake + " is in the future");
        return t;
    }

    static String required(JsonNode payload, String snake, String camel) {
        String s = text(payload, snake, camel);
        if (s == null || s.isBlank()) throw new IllegalArgumentException(snake + " is required");
        return s;
    }

    /** [code, name] of a known subject in any letter case or its pinyin alias; null when unknown. */
    static String[] subject(String subject) {
        return subject == null ? null : SUBJECTS.get(subject.toLowerCase(Locale.ROOT));
    }

    /**
     * Validates a present subject (spec §2): [canonical code, display name (spec §5)], as evroute stores
     * them ({@code shuxue} → {@code MATH}, 数学); null when absent; throws when unknown.
     */
    static String[] knownSubject(String subject) {
        if (subject == null) return null;
        String[] known = subject(subject);
        if (known == null) throw new IllegalArgumentException("subject " + subject + " is unknown");
        return known;
    }

    static String fixResultDesc(int fixResult) {
        return fixResult == 1 ? "订正" : "未订正";
    }

    /** The wide table's id: the first 8 bytes of SHA-256(wrong_id, UTF-8) as a signed big-endian long. */
    static long wrongId64(String wrongId) {
        MessageDigest md = SHA256.get();
        byte[] d = md.digest(wrongId.getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (d[i] & 0xffL);
        return v;
    }
}
