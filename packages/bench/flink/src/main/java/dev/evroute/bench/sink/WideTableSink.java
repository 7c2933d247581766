package dev.evroute.bench.sink;

import dev.evroute.bench.model.WideRow;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A batching JDBC sink (Sink V2) for {@code dwd_wrong_record_wide_delta}: each writer buffers rows and
 * writes them when {@code batchSize} rows are buffered, {@code flushMs} after the first buffered row,
 * and on checkpoint / end of input (Flink calls {@code flush}). See {@link WideTableWriter}.
 */
public class WideTableSink implements Sink<WideRow> {
    private final String jdbcUrl;
    private final String table;
    private final UpsertSql sql;
    private final int batchSize;
    private final long flushMs;

    public WideTableSink(String jdbcUrl, String table, UpsertSql sql, int batchSize, long flushMs) {
        this.jdbcUrl = jdbcUrl;
        this.table = table;
        this.sql = sql;
        this.batchSize = batchSize;
        this.flushMs = flushMs;
    }

    @Override
    public SinkWriter<WideRow> createWriter(WriterInitContext context) throws IOException {
        return new WideTableWriter(jdbcUrl, table, sql, batchSize, flushMs, context.getProcessingTimeService());
    }
}
