package dev.evroute.bench;

import dev.evroute.bench.model.BusinessEvent;
import dev.evroute.bench.model.RoutingConfig;
import dev.evroute.bench.model.WideRow;
import dev.evroute.bench.processor.EventProcessor;
import dev.evroute.bench.processor.EventProcessorFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The guide's DynamicRoutingProcessFunction (non-keyed): routing rows live in broadcast state under
 * {@code domain:type}; each event is looked up, its processor made (cached) by the factory, and the
 * row emitted. Unlike the guide's code, events that arrive before the routing table has been read in
 * full are held back (in operator memory; checkpointing is off by default) and released when the
 * end-of-snapshot marker arrives, so a cold start does not silently drop them. One route per key (the
 * guide's {@code put(eventType, config)}): the row with the highest priority wins; no fan-out.
 */
public class DynamicRoutingProcessFunction extends BroadcastProcessFunction<BusinessEvent, RoutingConfig, WideRow> {
    public static final MapStateDescriptor<String, RoutingConfig> CONFIG_STATE = new MapStateDescriptor<>(
            "routing-configs", BasicTypeInfo.STRING_TYPE_INFO, TypeInformation.of(RoutingConfig.class));
    private static final String SNAPSHOT_COMPLETE = "__end_of_snapshot__";

    private transient List<BusinessEvent> heldBack;
    private transient boolean complete;

    @Override
    public void processElement(BusinessEvent event, ReadOnlyContext ctx, Collector<WideRow> out) throws Exception {
        BenchCounters.markFirstEvent();
        ReadOnlyBroadcastState<String, RoutingConfig> state = ctx.getBroadcastState(CONFIG_STATE);
        if (!complete && !(complete = state.contains(SNAPSHOT_COMPLETE))) {
            if (heldBack == null) heldBack = new ArrayList<>();
            heldBack.add(event);
            BenchCounters.HELD_BACK.increment();
            return;
        }
        route(event, state.get(event.routingKey()), out);
    }

    @Override
    public void processBroadcastElement(RoutingConfig config, Context ctx, Collector<WideRow> out) throws Exception {
        BroadcastState<String, RoutingConfig> state = ctx.getBroadcastState(CONFIG_STATE);
        if (config.endOfSnapshot) {
            state.put(SNAPSHOT_COMPLETE, config);
            complete = true;
            if (heldBack != null) {
                for (BusinessEvent event : heldBack) route(event, state.get(event.routingKey()), out);
                heldBack = null;
            }
            return;
        }
        RoutingConfig current = state.get(config.routingKey());
        if (current == null || current.id == config.id || config.priority > current.priority) {
            state.put(config.routingKey(), config);
        }
    }

    private static void route(BusinessEvent event, RoutingConfig config, Collector<WideRow> out) throws Exception {
        if (config == null || !config.enabled) {
            BenchCounters.UNROUTED.increment();
            return;
        }
        EventProcessor processor = EventProcessorFactory.createProcessor(config.processorClass);
        WideRow row = processor.process(event);
        if (row == null) {
            BenchCounters.INVALID.increment();
            return;
        }
        BenchCounters.ROUTED.increment();
        out.collect(row);
    }
}
