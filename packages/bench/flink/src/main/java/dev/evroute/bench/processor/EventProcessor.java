package dev.evroute.bench.processor;

import dev.evroute.bench.model.BusinessEvent;
import dev.evroute.bench.model.WideRow;

/** The original job's processor contract: one event in, one wide-table row out (or null when invalid). */
public interface EventProcessor {
    /** The row for {@code event}, or {@code null} when its payload fails validation (counted, dropped). */
    WideRow process(BusinessEvent event) throws Exception;
}
