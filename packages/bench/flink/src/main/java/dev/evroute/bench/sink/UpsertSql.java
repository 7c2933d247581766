package dev.evroute.bench.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The wide table's upsert statements: {@code INSERT INTO t (cols) VALUES (..),(..) ON DUPLICATE KEY
 * UPDATE <merge expressions>}, as evroute's MySqlSink renders them ({@code compileUpsert},
 * packages/mysql/src/upsert-statement.ts) for the wrongbook plugin's add and fix outputs
 * ({@code WIDE_TABLE_SPECS}, packages/wrongbook/src/wide-table.ts): order-insensitive merges in SQL,
 * {@code VALUES(col)} since MariaDB has no row alias.
 *
 * run-bench.sh renders them from the built evroute packages at every run and passes them in a file
 * ({@link #load}), so the job always runs the SQL evroute runs. {@link #BUILT_IN} is a copy rendered on
 * 2026-11-24, used when that rendering is not possible. The one difference from evroute: values are
 * bound {@code ?} parameters (the MariaDB driver substitutes them client side, text protocol) where
 * evroute escapes them into the text itself.
 */
public final class UpsertSql implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One output's statement: its insert columns (in order) and its {@code ON DUPLICATE KEY UPDATE …} tail. */
    public static final class Statement implements Serializable {
        private static final long serialVersionUID = 1L;
        public final List<String> columns;
        public final String tail;

        public Statement(List<String> columns, String tail) {
            this.columns = List.copyOf(columns);
            this.tail = tail;
        }
    }

    public final Statement add;
    public final Statement fix;
    /** Where the statements came from, for the report. */
    public final String origin;

    public UpsertSql(Statement add, Statement fix, String origin) {
        this.add = add;
        this.fix = fix;
        this.origin = origin;
    }

    public static final UpsertSql BUILT_IN = new UpsertSql(
            new Statement(List.of("id", "wrong_id", "user_id", "subject", "subject_name", "question_id", "question", "pattern_id", "pattern_name", "teach_type_id", "teach_type_name", "chapter_id", "collect_time", "is_deleted", "event_id", "event_type", "process_time"),
                    " ON DUPLICATE KEY UPDATE `user_id` = COALESCE(VALUES(`user_id`), `user_id`), `subject` = COALESCE(VALUES(`subject`), `subject`), `subject_name` = COALESCE(VALUES(`subject_name`), `subject_name`), `question_id` = COALESCE(VALUES(`question_id`), `question_id`), `question` = COALESCE(VALUES(`question`), `question`), `pattern_id` = COALESCE(VALUES(`pattern_id`), `pattern_id`), `pattern_name` = COALESCE(VALUES(`pattern_name`), `pattern_name`), `teach_type_id` = COALESCE(VALUES(`teach_type_id`), `teach_type_id`), `teach_type_name` = COALESCE(VALUES(`teach_type_name`), `teach_type_name`), `chapter_id` = COALESCE(VALUES(`chapter_id`), `chapter_id`), `is_deleted` = IF(COALESCE(VALUES(`is_deleted`), 0) <> 0, VALUES(`is_deleted`), IF(COALESCE(`is_deleted`, 0) <> 0 AND NOT COALESCE(VALUES(`collect_time`) > `delete_time`, FALSE), `is_deleted`, VALUES(`is_deleted`))), `event_id` = IF(GREATEST(COALESCE(`collect_time`, `fix_time`, `delete_time`), COALESCE(`fix_time`, `collect_time`, `delete_time`), COALESCE(`delete_time`, `collect_time`, `fix_time`)) IS NULL OR COALESCE(VALUES(`collect_time`) >= GREATEST(COALESCE(`collect_time`, `fix_time`, `delete_time`), COALESCE(`fix_time`, `collect_time`, `delete_time`), COALESCE(`delete_time`, `collect_time`, `fix_time`)), FALSE), VALUES(`event_id`), `event_id`), `event_type` = IF(GREATEST(COALESCE(`collect_time`, `fix_time`, `delete_time`), COALESCE(`fix_time`, `collect_time`, `delete_time`), COALESCE(`delete_time`, `collect_time`, `fix_time`)) IS NULL OR COALESCE(VALUES(`collect_time`) >= GREATEST(COALESCE(`collect_time`, `fix_time`, `delete_time`), COALESCE(`fix_time`, `collect_time`, `delete_time`), COALESCE(`delete_time`, `collect_time`, `fix_time`)), FALSE), VALUES(`event_type`), `event_type`), `collect_time` = COALESCE(`collect_time`, VALUES(`collect_time`)), `process_time` = VALUES(`process_time`)"),
            new Statement(List.of("id", "wrong_id", "user_id", "subject", "subject_name", "question_id", "pattern_id", "pattern_name", "teach_type_id", "teach_type_name", "chapter_id", "collect_time", "fix_id", "fix_time", "fix_result", "fix_result_desc", "is_deleted", "event_id", "event_type", "process_time"),
                    " ON DUPLICATE KEY UPDATE `user_id` = COALESCE(`user_id`, VALUES(`user_id`)), `subject` = COALESCE(`subject`, VALUES(`subject`)), `subject_name` = COALESCE(`subject_name`, VALUES(`subject_name`)), `question_id` = COALESCE(`question_id`, VALUES(`question_id`)), `pattern_id` = COALESCE(`pattern_id`, VALUES(`pattern_id`)), `pattern_name` = COALESCE(`pattern_name`, VALUES(`pattern_name`)), `teach_type_id` = COALESCE(`teach_type_id`, VALUES(`teach_type_id`)), `teach_type_name` = COALESCE(`teach_type_name`, VALUES(`teach_type_name`)), `chapter_id` = COALESCE(`chapter_id`, VALUES(`chapter_id`)), `fix_id` = IF(`fix_time` IS NULL OR COALESCE(VALUES(`fix_time`) >= `fix_time`, FALSE), VALUES(`fix_id`), `fix_id`), `fix_result` = IF(`fix_time` IS NULL OR COALESCE(VALUES(`fix_time`) >= `fix_time`, FALSE), VALUES(`fix_result`), `fix_result`), `fix_result_desc` = IF(`fix_time` IS NULL OR COALESCE(VALUES(`fix_time`) >= `fix_time`, FALSE), VALUES(`fix_result_desc`), `fix_result_desc`), `is_deleted` = IF(COALESCE(VALUES(`is_deleted`), 0) <> 0, VALUES(`is_deleted`), IF(COALESCE(`is_deleted`, 0) <> 0 AND NOT COALESCE(GREATEST(COALESCE(VALUES(`collect_time`), VALUES(`fix_time`)), COALESCE(VALUES(`fix_time`), VALUES(`collect_time`))) > `delete_time`, FALSE), `is_deleted`, VALUES(`is_deleted`))), `event_id` = IF(GREATEST(COALESCE(`collect_time`, `fix_time`, `delete_time`), COALESCE(`fix_time`, `collect_time`, `delete_time`), COALESCE(`delete_time`, `collect_time`, `fix_time`)) IS NULL OR COALESCE(GREATEST(COALESCE(VALUES(`collect_time`), VALUES(`fix_time`)), COALESCE(VALUES(`fix_time`), VALUES(`collect_time`))) >= GREATEST(COALESCE(`collect_time`, `fix_time`, `delete_time`), COALESCE(`fix_time`, `collect_time`, `delete_time`), COALESCE(`delete_time`, `collect_time`, `fix_time`)), FALSE), VALUES(`event_id`), `event_id`), `event_type` = IF(GREATEST(COALESCE(`collect_time`, `fix_time`, `delete_time`), COALESCE(`fix_time`, `collect_time`, `delete_time`), COALESCE(`delete_time`, `collect_time`, `fix_time`)) IS NULL OR COALESCE(GREATEST(COALESCE(VALUES(`collect_time`), VALUES(`fix_time`)), COALESCE(VALUES(`fix_time`), VALUES(`collect_time`))) >= GREATEST(COALESCE(`collect_time`, `fix_time`, `delete_time`), COALESCE(`fix_time`, `collect_time`, `delete_time`), COALESCE(`delete_time`, `collect_time`, `fix_time`)), FALSE), VALUES(`event_type`), `event_type`), `collect_time` = COALESCE(`collect_time`, VALUES(`collect_time`)), `fix_time` = IF(`fix_time` IS NULL OR COALESCE(VALUES(`fix_time`) >= `fix_time`, FALSE), VALUES(`fix_time`), `fix_time`), `process_time` = VALUES(`process_time`)"),
            "built-in copy");

    /** Reads {@code {"add":{"columns":[…],"tail":"…"},"fix":{…}}} as run-bench.sh renders it. */
    public static UpsertSql load(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        return new UpsertSql(statement(root, "add"), statement(root, "fix"), "rendered by evroute's compileUpsert at run time");
    }

    private static Statement statement(JsonNode root, String kind) throws IOException {
        JsonNode s = root.get(kind);
        if (s == null || !s.path("columns").isArray() || !s.path("tail").isTextual()) throw new IOException("no " + kind + " statement in the upsert SQL file");
        List<String> columns = new ArrayList<>();
        for (JsonNode c : s.get("columns")) columns.add(c.asText());
        return new Statement(columns, s.get("tail").asText());
    }

    /** {@code INSERT INTO `t` (`c1`, …) VALUES } as evroute renders it (table parts quoted, dot-joined). */
    public static String head(String table, List<String> columns) {
        StringBuilder sb = new StringBuilder("INSERT INTO ");
        String[] parts = table.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) sb.append('.');
            sb.append(quote(parts[i]));
        }
        sb.append(" (");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(quote(columns.get(i)));
        }
        return sb.append(") VALUES ").toString();
    }

    /** The statement for {@code rows} rows: head + {@code (?, …), (?, …)} + tail. */
    public static String statement(String head, int columns, int rows, String tail) {
        StringBuilder tuple = new StringBuilder("(");
        for (int i = 0; i < columns; i++) tuple.append(i == 0 ? "?" : ", ?");
        tuple.append(')');
        StringBuilder sb = new StringBuilder(head.length() + tail.length() + rows * (tuple.length() + 2));
        sb.append(head);
        for (int r = 0; r < rows; r++) {
            if (r > 0) sb.append(", ");
            sb.append(tuple);
        }
        return sb.append(tail).toString();
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
