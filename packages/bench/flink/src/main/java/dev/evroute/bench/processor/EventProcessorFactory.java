package dev.evroute.bench.processor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The guide's EventProcessorFactory: a processor per class name, created by reflection once and cached.
 * The guide's rows name the original classes ({@code com.flink.realtime.topics.wrongbook.processor.*});
 * they resolve to this project's classes through an alias table, as evroute plugins declare the same
 * names as aliases (spec §7).
 */
public final class EventProcessorFactory {
    private static final String ORIGINAL_PACKAGE = "com.flink.realtime.topics.wrongbook.processor.";
    private static final Map<String, String> ALIASES = Map.of(
            ORIGINAL_PACKAGE + "WrongbookAddProcessor", WrongbookAddProcessor.class.getName(),
            ORIGINAL_PACKAGE + "WrongbookFixProcessor", WrongbookFixProcessor.class.getName());

    private static final Map<String, EventProcessor> CACHE = new ConcurrentHashMap<>();

    private EventProcessorFactory() {}

    public static EventProcessor createProcessor(String className) {
        return CACHE.computeIfAbsent(className, name -> {
            String resolved = ALIASES.getOrDefault(name, name);
            try {
                Class<?> clazz = Class.forName(resolved, true, EventProcessorFactory.class.getClassLoader());
                return (EventProcessor) clazz.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalStateException("Failed to create processor: " + name, e);
            }
        });
    }
}
