package dev.evroute.bench;

import dev.evroute.bench.model.RoutingConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.apache.flink.streaming.api.functions.source.legacy.RichSourceFunction;

/**
 * The guide's DynamicRoutingConfigSource: reads the {@code routing_configs} table over JDBC and emits
 * every row, then an end-of-snapshot marker. The guide re-reads the table every
 * {@code routing.config.refresh.interval}; with {@code refreshMs <= 0} (the benchmark default) the table
 * is read once and the source finishes. Parallelism 1; its output is broadcast.
 */
public class RoutingConfigSource extends RichSourceFunction<RoutingConfig> {
    private final String jdbcUrl;
    private final String table;
    private final long refreshMs;
    private volatile boolean running = true;

    public RoutingConfigSource(String jdbcUrl, String table, long refreshMs) {
        this.jdbcUrl = jdbcUrl;
        this.table = table;
        this.refreshMs = refreshMs;
    }

    @Override
    public void run(SourceContext<RoutingConfig> ctx) throws Exception {
        while (running) {
            try (Connection c = DriverManager.getConnection(jdbcUrl);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id, domain, event_type, processor_class, enabled, priority, config_json FROM "
                            + table + " ORDER BY priority DESC, id")) {
                synchronized (ctx.getCheckpointLock()) {
                    while (rs.next()) {
                        RoutingConfig r = new RoutingConfig();
                        r.id = rs.getLong(1);
                        r.domain = rs.getString(2);
                        r.eventType = rs.getString(3);
                        r.processorClass = rs.getString(4);
                        r.enabled = rs.getInt(5) != 0;
                        r.priority = rs.getInt(6);
                        r.configJson = rs.getString(7);
                        ctx.collect(r);
                    }
                    ctx.collect(RoutingConfig.endOfSnapshot());
                }
            }
            if (refreshMs <= 0) return;
            Thread.sleep(refreshMs);
        }
    }

    @Override
    public void cancel() {
        running = false;
    }
}
