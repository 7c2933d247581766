package dev.evroute.bench.sink;

import dev.evroute.bench.BenchCounters;
import dev.evroute.bench.model.WideRow;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * Buffers rows and writes them as evroute's MySqlSink does: grouped by statement (in the order of the
 * statement text, as evroute sorts its groups: the fix head sorts before the add head), sorted by key
 * within a group (stable), at most {@code batchSize} rows per multi-row {@code INSERT … ON DUPLICATE
 * KEY UPDATE}, autocommit. Times are written as UTC, as evroute's default. A failed statement fails the
 * job (no retries, no row-level rejection: with checkpointing off, Flink does not restart it).
 * Everything runs on the task thread (timers are mailbox actions), so a write back-pressures the source.
 */
final class WideTableWriter implements SinkWriter<WideRow> {
    /** One statement kind: its columns, head and tail, and the prepared full-batch statement. */
    private static final class Kind {
        final String[] columns;
        final String head;
        final String tail;
        PreparedStatement full;

        Kind(String table, UpsertSql.Statement s) {
            this.columns = s.columns.toArray(new String[0]);
            this.head = UpsertSql.head(table, s.columns);
            this.tail = s.tail;
        }
    }

    private final String table;
    private final int batchSize;
    private final long flushMs;
    private final ProcessingTimeService timers;
    private final Connection connection;
    private final Map<String, Kind> kinds = new HashMap<>();
    /** Kind names in the order evroute writes their groups (by statement text). */
    private final List<String> order;
    private List<WideRow> buffer = new ArrayList<>();
    /** Bumped on every flush, so a timer set for an already flushed buffer does nothing. */
    private long generation;

    WideTableWriter(String jdbcUrl, String table, UpsertSql sql, int batchSize, long flushMs, ProcessingTimeService timers) throws IOException {
        this.table = table;
        this.batchSize = batchSize;
        this.flushMs = flushMs;
        this.timers = timers;
        kinds.put(WideRow.ADD, new Kind(table, sql.add));
        kinds.put(WideRow.FIX, new Kind(table, sql.fix));
        order = new ArrayList<>(kinds.keySet());
        order.sort(Comparator.comparing((String k) -> kinds.get(k).head).thenComparing(k -> kinds.get(k).tail));
        try {
            this.connection = DriverManager.getConnection(jdbcUrl);
            this.connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IOException("cannot connect to MySQL for " + table, e);
        }
    }

    @Override
    public void write(WideRow row, Context context) throws IOException {
        if (buffer.isEmpty() && flushMs > 0) {
            long armed = generation;
            timers.registerTimer(timers.getCurrentProcessingTime() + flushMs, time -> {
                if (generation == armed && !buffer.isEmpty()) writeBuffer();
            });
        }
        buffer.add(row);
        if (buffer.size() >= batchSize) writeBuffer();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        if (!buffer.isEmpty()) writeBuffer();
    }

    private void writeBuffer() throws IOException {
        List<WideRow> rows = buffer;
        buffer = new ArrayList<>(batchSize);
        generation++;
        Map<String, List<WideRow>> groups = new HashMap<>();
        for (WideRow r : rows) groups.computeIfAbsent(r.kind, k -> new ArrayList<>(rows.size())).add(r);
        try {
            for (String kind : order) {
                List<WideRow> group = groups.get(kind);
                if (group == null) continue;
                group.sort(Comparator.comparingLong(r -> r.id));
                writeGroup(kinds.get(kind), group);
            }
        } catch (SQLException e) {
            throw new IOException("upsert into " + table + " failed", e);
        }
    }

    private void writeGroup(Kind kind, List<WideRow> rows) throws SQLException {
        for (int from = 0; from < rows.size(); from += batchSize) {
            List<WideRow> chunk = rows.subList(from, Math.min(rows.size(), from + batchSize));
            boolean full = chunk.size() == batchSize;
            PreparedStatement ps = full ? kind.full : null;
            if (ps == null) {
                ps = connection.prepareStatement(UpsertSql.statement(kind.head, kind.columns.length, chunk.size(), kind.tail));
                if (full) kind.full = ps;
            }
            try {
                int i = 1;
                for (WideRow r : chunk) {
                    for (String column : kind.columns) bind(ps, i++, column, r);
                }
                ps.executeUpdate();
            } finally {
                if (!full) ps.close();
            }
            BenchCounters.STATEMENTS.increment();
            BenchCounters.ROWS_WRITTEN.add(chunk.size());
        }
    }

    /** Binds {@code column} of {@code r}; a column the row does not have is NULL (0 for is_deleted, as evroute's sticky flags). */
    private static void bind(PreparedStatement ps, int i, String column, WideRow r) throws SQLException {
        switch (column) {
            case "id" -> ps.setLong(i, r.id);
            case "wrong_id" -> ps.setString(i, r.wrongId);
            case "user_id" -> ps.setString(i, r.userId);
            case "subject" -> ps.setString(i, r.subject);
            case "subject_name" -> ps.setString(i, r.subjectName);
            case "question_id" -> ps.setString(i, r.questionId);
            case "question" -> ps.setString(i, r.question);
            case "pattern_id" -> ps.setString(i, r.patternId);
            case "pattern_name" -> ps.setString(i, r.patternName);
            case "teach_type_id" -> ps.setString(i, r.teachTypeId);
            case "teach_type_name" -> ps.setString(i, r.teachTypeName);
            case "chapter_id" -> ps.setString(i, r.chapterId);
            case "collect_time" -> time(ps, i, r.collectTime);
            case "fix_id" -> ps.setString(i, r.fixId);
            case "fix_time" -> time(ps, i, r.fixTime);
            case "fix_result" -> {
                if (r.fixResult == null) ps.setNull(i, Types.TINYINT);
                else ps.setInt(i, r.fixResult);
            }
            case "fix_result_desc" -> ps.setString(i, r.fixResultDesc);
            case "is_deleted" -> ps.setInt(i, r.isDeleted);
            case "event_id" -> ps.setString(i, r.eventId);
            case "event_type" -> ps.setString(i, r.eventType);
            case "process_time" -> time(ps, i, r.processTime);
            default -> ps.setNull(i, Types.VARCHAR); // delete_time, delete_reason: not written by add/fix
        }
    }

    private static void time(PreparedStatement ps, int i, Long epochMs) throws SQLException {
        if (epochMs == null) ps.setNull(i, Types.TIMESTAMP);
        else ps.setObject(i, LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC));
    }

    @Override
    public void close() throws Exception {
        for (Kind k : kinds.values()) {
            if (k.full != null) k.full.close();
        }
        connection.close();
    }
}
