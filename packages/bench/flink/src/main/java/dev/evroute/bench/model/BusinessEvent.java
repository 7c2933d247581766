package dev.evroute.bench.model;

/**
 * The event envelope (shared/spec/wrongbook.md §1) after parsing. A Flink POJO (public fields, no-arg
 * constructor) so it crosses the network between the parse and routing operators with Flink's POJO
 * serializer, not Kryo. The payload stays JSON text: each processor parses it, as the original job's
 * processors did.
 */
public class BusinessEvent {
    public String domain;
    public String type;
    public String eventId;
    /** Event time, epoch ms (or the ISO-8601 {@code event_time} converted). */
    public long timestamp;
    /** The payload as JSON text (an object, or the string a producer sent that holds JSON). */
    public String payload;
    public String version;
    public String source;

    public BusinessEvent() {}

    /** The routing key, {@code domain:type}. */
    public String routingKey() {
        return domain + ":" + type;
    }
}
