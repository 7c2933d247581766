package dev.evroute.bench;

import dev.evroute.bench.model.BusinessEvent;
import dev.evroute.bench.model.RoutingConfig;
import dev.evroute.bench.model.WideRow;
import dev.evroute.bench.sink.UpsertSql;
import dev.evroute.bench.sink.WideTableSink;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The original wrongbook DataStream job's shape (shared/seed/datastream-deployment-guide.zh.md), for
 * the evroute benchmarks, in a local MiniCluster:
 *
 * <pre>
 * KafkaSource (JSON text, from earliest) → parse envelope ─┐
 *                                                        connect → DynamicRoutingProcessFunction → WideTableSink
 * RoutingConfigSource (routing_configs via JDBC) → broadcast ┘        (EventProcessorFactory:            (multi-row upsert,
 *                                                                     WrongbookAdd/FixProcessor)          1000 rows / 200 ms)
 * </pre>
 *
 * Runs until killed (the Kafka source is unbounded); run-bench.sh stops it once the table is complete.
 */
public final class WrongbookFlinkBench {
    private WrongbookFlinkBench() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = options(argv);
        String brokers = need(a, "brokers");
        String topic = need(a, "topic");
        String jdbcUrl = need(a, "jdbc-url");
        String group = a.getOrDefault("group", "evroute-flink-bench");
        String table = a.getOrDefault("table", "dwd_wrong_record_wide_delta");
        String routingTable = a.getOrDefault("routing-table", "routing_configs");
        int parallelism = Integer.parseInt(a.getOrDefault("parallelism", "2"));
        int batchSize = Integer.parseInt(a.getOrDefault("batch-size", "1000"));
        long flushMs = Long.parseLong(a.getOrDefault("flush-ms", "200"));
        long checkpointMs = Long.parseLong(a.getOrDefault("checkpoint-ms", "0"));
        long routingRefreshMs = Long.parseLong(a.getOrDefault("routing-refresh-ms", "0"));
        UpsertSql sql = a.containsKey("upsert-sql") ? UpsertSql.load(Path.of(a.get("upsert-sql"))) : UpsertSql.BUILT_IN;

        System.out.println("EVROUTE_BENCH flink_version=" + EnvironmentInformation.getVersion()
                + " parallelism=" + parallelism + " batch_size=" + batchSize + " flush_ms=" + flushMs
                + " checkpoint_ms=" + checkpointMs);
        System.out.println("EVROUTE_BENCH upsert_sql=" + sql.origin.replace(' ', '_'));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("EVROUTE_BENCH counters " + BenchCounters.summary());
            System.out.flush();
        }));

        Configuration conf = new Configuration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        if (checkpointMs > 0) env.enableCheckpointing(checkpointMs);

        KafkaSource<String> source = KafkaSource.<String>builder()
                .setBootstrapServers(brokers)
                .setTopics(topic)
                .setGroupId(group)
                .setClientIdPrefix(group)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .build();

        DataStream<BusinessEvent> events = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "kafka: " + topic)
                .flatMap(new EnvelopeParser()).name("parse envelope");

        BroadcastStream<RoutingConfig> routing = env
                .addSource(new RoutingConfigSource(jdbcUrl, routingTable, routingRefreshMs), "routing_configs (JDBC)")
                .setParallelism(1)
                .broadcast(DynamicRoutingProcessFunction.CONFIG_STATE);

        DataStream<WideRow> rows = events.connect(routing)
                .process(new DynamicRoutingProcessFunction()).name("dynamic routing → processors");

        rows.sinkTo(new WideTableSink(jdbcUrl, table, sql, batchSize, flushMs)).name("mysql: " + table);

        JobClient job = env.executeAsync("wrongbook-flink-bench");
        while (true) {
            JobStatus status = job.getJobStatus().get();
            if (status == JobStatus.RUNNING) break;
            if (status.isGloballyTerminalState()) {
                System.err.println("job ended before running: " + status);
                job.getJobExecutionResult().get();
                System.exit(1);
            }
            Thread.sleep(10);
        }
        BenchCounters.mark("job_running");
        job.getJobExecutionResult().get();
    }

    private static Map<String, String> options(String[] argv) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) throw new IllegalArgumentException("usage: --name value …; got " + argv[i]);
            out.put(argv[i].substring(2), argv[++i]);
        }
        return out;
    }

    private static String need(Map<String, String> a, String name) {
        String v = a.get(name);
        if (v == null || v.isEmpty()) throw new IllegalArgumentException("--" + name + " is required");
        return v;
    }
}
