package dev.evroute.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Helpers for run-bench.sh and for making test data (kafka-clients is on the job's classpath anyway):
 *
 * <pre>
 * Tools topic-size &lt;brokers&gt; &lt;topic&gt;                      messages in the topic (end − beginning offsets)
 * Tools produce &lt;brokers&gt; &lt;topic&gt; &lt;events&gt; [users] [fixRatio] [seed]
 * </pre>
 *
 * {@code produce} creates the topic (3 partitions; refuses an existing one) and writes {@code events}
 * wrongbook add/fix events (spec §1–§2), keyed by user_id: a random mix where each event is a fix of one
 * of the user's earlier questions with probability fixRatio (default 0.3), else an add of a new
 * question, and then one last add per user, so every partition ends with adds (then "the table holds
 * every row" means "every event is written"). About 1 in 10 payloads uses the camelCase spellings.
 * Prints a JSON summary with the expected row count (= adds).
 */
public final class Tools {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[][] SUBJECTS = {{"MATH", "shuxue"}, {"ENGLISH", "yingyu"}, {"CHINESE", "yuwen"}, {"PHYSICS", "wuli"}, {"CHEMISTRY", "huaxue"}};

    private Tools() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("topic-size")) {
            System.out.println(topicSize(args[1], args[2]));
        } else if (args.length >= 4 && args[0].equals("produce")) {
            int users = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
            double fixRatio = args.length > 5 ? Double.parseDouble(args[5]) : 0.3;
            long seed = args.length > 6 ? Long.parseLong(args[6]) : 1;
            produce(args[1], args[2], Integer.parseInt(args[3]), users, fixRatio, seed);
        } else {
            System.err.println("usage: Tools topic-size <brokers> <topic> | Tools produce <brokers> <topic> <events> [users] [fixRatio] [seed]");
            System.exit(2);
        }
    }

    static long topicSize(String brokers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo info : c.partitionsFor(topic)) parts.add(new TopicPartition(topic, info.partition()));
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
            long n = 0;
            for (TopicPartition tp : parts) n += end.get(tp) - begin.get(tp);
            return n;
        }
    }

    static void produce(String brokers, String topic, int events, int users, double fixRatio, long seed) throws Exception {
        if (events < users) throw new IllegalArgumentException("events must be at least users (" + users + ")");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(Set.of(new NewTopic(topic, 3, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) throw new IllegalStateException("topic " + topic + " exists; use a new name");
            throw e;
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        Random rnd = new Random(seed);
        long now = System.currentTimeMillis();
        long base = now - 86_400_000L; // a day ago; events 20 ms apart, so all times are in the past
        String run = Long.toString(seed, 36) + "-" + Long.toString(now, 36);
        List<List<Question>> byUser = new ArrayList<>();
        for (int u = 0; u < users; u++) byUser.add(new ArrayList<>());
        int adds = 0, fixes = 0, camel = 0;
        long bytes = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < events; i++) {
                boolean tail = i >= events - users;
                int u = tail ? i - (events - users) : rnd.nextInt(users);
                String userId = String.format("u%06d", u);
                long t = base + i * 20L;
                List<Question> qs = byUser.get(u);
                boolean camelCase = rnd.nextInt(10) == 0;
                if (camelCase) camel++;
                ObjectNode envelope;
                if (!tail && !qs.isEmpty() && rnd.nextDouble() < fixRatio) {
                    Question q = qs.get(qs.size() - 1 - rnd.nextInt(Math.min(qs.size(), 20)));
                    envelope = envelope("wrongbook_fix", run + "-e" + i, t, fixPayload(rnd, q, userId, ++q.fixes, t, camelCase));
                    fixes++;
                } else {
                    Question q = new Question(run + "-w" + adds, rnd, t);
                    qs.add(q);
                    envelope = envelope("wrongbook_add", run + "-e" + i, t, addPayload(rnd, q, userId, camelCase));
                    adds++;
                }
                String value = MAPPER.writeValueAsString(envelope);
                bytes += value.getBytes(StandardCharsets.UTF_8).length;
                producer.send(new ProducerRecord<>(topic, userId, value));
            }
            producer.flush();
        }
        System.out.println("{\"topic\":\"" + topic + "\",\"events\":" + events + ",\"adds\":" + adds + ",\"fixes\":" + fixes
                + ",\"rows\":" + adds + ",\"users\":" + users + ",\"camelCasePayloads\":" + camel + ",\"avgValueBytes\":"
                + (bytes / events) + ",\"seed\":" + seed + "}");
    }

    /** One wrong question: its add-side facts, reused by its fixes. */
    private static final class Question {
        final String wrongId;
        final String questionId;
        final String patternId;
        final String subject;
        final String chapterId;
        final long createTime;
        int fixes;

        Question(String wrongId, Random rnd, long createTime) {
            this.wrongId = wrongId;
            this.questionId = "q" + (100000 + rnd.nextInt(900000));
            this.patternId = "p" + (1000 + rnd.nextInt(50000));
            String[] s = SUBJECTS[rnd.nextInt(SUBJECTS.length)];
            this.subject = rnd.nextInt(20) == 0 ? s[1] : rnd.nextInt(10) == 0 ? s[0].toLowerCase() : s[0];
            this.chapterId = "c" + (100 + rnd.nextInt(900));
            this.createTime = createTime;
        }
    }

    private static ObjectNode envelope(String type, String eventId, long t, ObjectNode payload) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("domain", "wrongbook");
        e.put("type", type);
        e.put("timestamp", t);
        e.put("eventId", eventId);
        e.put("version", "1.0");
        e.put("source", "math_app");
        e.set("payload", payload);
        return e;
    }

    private static ObjectNode addPayload(Random rnd, Question q, String userId, boolean camel) {
        ObjectNode p = MAPPER.createObjectNode();
        p.put(camel ? "wrongId" : "wrong_id", q.wrongId);
        p.put(camel ? "userId" : "user_id", userId);
        p.put(camel ? "questionId" : "question_id", q.questionId);
        p.put(camel ? "patternId" : "pattern_id", q.patternId);
        p.put("subject", q.subject);
        p.put(camel ? "chapterId" : "chapter_id", q.chapterId);
        p.put("answer_record_id", "ar" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36));
        p.put("answer_image", "https://img.example.com/answer/" + q.wrongId + ".png");
        p.put("result", 0);
        p.put("correct_status", 0);
        p.put("origin", rnd.nextBoolean() ? "homework" : "practice");
        p.put("tag_group", "tg" + rnd.nextInt(30));
        p.put("q_type", 1 + rnd.nextInt(6));
        p.put("zpd_pattern_id", "z" + rnd.nextInt(5000));
        p.put(camel ? "submitTime" : "submit_time", q.createTime - 1000 - rnd.nextInt(60_000));
        p.put(camel ? "createTime" : "create_time", q.createTime);
        p.put("question", "已知函数 f(x) = " + (1 + rnd.nextInt(9)) + "x^2 + " + rnd.nextInt(20) + "x - " + rnd.nextInt(50)
                + "，求 f(x) 在区间 [" + rnd.nextInt(5) + ", " + (5 + rnd.nextInt(10)) + "] 上的最小值，并说明取得最小值时 x 的取值。");
        p.put("answer", "x = " + rnd.nextInt(10) + " 时取得最小值");
        p.put("analysis", "先求对称轴，再比较端点与顶点的函数值，注意区间端点是否包含对称轴。");
        p.put("difficulty", Math.round(rnd.nextDouble() * 1000) / 1000.0);
        p.put("collect_reason", "答错");
        p.put("collect_source", "auto");
        return p;
    }

    private static ObjectNode fixPayload(Random rnd, Question q, String userId, int attempt, long fixTime, boolean camel) {
        ObjectNode p = MAPPER.createObjectNode();
        int result = rnd.nextInt(3) == 0 ? 0 : 1;
        p.put(camel ? "fixId" : "fix_id", q.wrongId + "-f" + attempt);
        p.put(camel ? "wrongId" : "wrong_id", q.wrongId);
        p.put(camel ? "userId" : "user_id", userId);
        p.put(camel ? "questionId" : "question_id", q.questionId);
        p.put(camel ? "patternId" : "pattern_id", q.patternId);
        p.put("subject", q.subject);
        p.put(camel ? "chapterId" : "chapter_id", q.chapterId);
        p.put("fix_answer", "x = " + rnd.nextInt(10));
        p.put("fix_image", "https://img.example.com/fix/" + q.wrongId + "-" + attempt + ".png");
        p.put(camel ? "fixResult" : "fix_result", result);
        p.put("fix_duration", 10 + rnd.nextInt(600));
        p.put("fix_attempts", attempt);
        p.put("fix_method", rnd.nextBoolean() ? "retry" : "video");
        p.put("fix_source", "app");
        p.put("is_correct", result == 1);
        p.put("confidence_score", Math.round(rnd.nextDouble() * 100) / 100.0);
        p.put("teacher_feedback", rnd.nextInt(4) == 0 ? "注意审题" : null);
        p.put("ai_feedback", "对称轴位置判断" + (result == 1 ? "正确" : "有误"));
        p.put(camel ? "fixTime" : "fix_time", fixTime);
        if (rnd.nextBoolean()) p.put(camel ? "createTime" : "create_time", q.createTime);
        return p;
    }
}
