package dev.evroute.bench.model;

/**
 * One row of the guide's {@code routing_configs} table, broadcast to every routing subtask. A row with
 * {@link #endOfSnapshot} set is not a route: it marks that the source has emitted the whole table, so
 * the routing function can release the events it held back while the table was still arriving.
 */
public class RoutingConfig {
    public long id;
    public String domain;
    public String eventType;
    public String processorClass;
    public boolean enabled;
    public int priority;
    public String configJson;
    public boolean endOfSnapshot;

    public RoutingConfig() {}

    public String routingKey() {
        return domain + ":" + eventType;
    }

    public static RoutingConfig endOfSnapshot() {
        RoutingConfig marker = new RoutingConfig();
        marker.endOfSnapshot = true;
        return marker;
    }

    @Override
    public String toString() {
        return endOfSnapshot ? "RoutingConfig{end of snapshot}"
                : "RoutingConfig{" + routingKey() + " -> " + processorClass + (enabled ? "" : " (disabled)") + ", priority " + priority + "}";
    }
}
