package dev.evroute.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * JVM-wide counters and timing marks for the driver. The job runs in a local MiniCluster, so every
 * subtask lives in this JVM and static counters see them all. Lines starting with {@code EVROUTE_BENCH}
 * on stdout are read by run-bench.sh.
 */
public final class BenchCounters {
    public static final LongAdder PARSED = new LongAdder();
    public static final LongAdder UNDECODABLE = new LongAdder();
    public static final LongAdder ROUTED = new LongAdder();
    public static final LongAdder UNROUTED = new LongAdder();
    public static final LongAdder INVALID = new LongAdder();
    public static final LongAdder HELD_BACK = new LongAdder();
    public static final LongAdder ROWS_WRITTEN = new LongAdder();
    public static final LongAdder STATEMENTS = new LongAdder();

    private static final AtomicBoolean FIRST_EVENT = new AtomicBoolean();

    private BenchCounters() {}

    /** Prints the first-event mark once per JVM (the first event any routing subtask sees). */
    public static void markFirstEvent() {
        if (!FIRST_EVENT.get() && FIRST_EVENT.compareAndSet(false, true)) mark("first_event");
    }

    /** Prints {@code EVROUTE_BENCH <name> ms=<epoch ms> cpu_ticks=<utime+stime of this JVM>}. */
    public static void mark(String name) {
        System.out.println("EVROUTE_BENCH " + name + " ms=" + System.currentTimeMillis() + " cpu_ticks=" + cpuTicks());
        System.out.flush();
    }

    public static String summary() {
        return "parsed=" + PARSED.sum() + " undecodable=" + UNDECODABLE.sum() + " routed=" + ROUTED.sum()
                + " unrouted=" + UNROUTED.sum() + " invalid=" + INVALID.sum() + " held_back=" + HELD_BACK.sum()
                + " rows_written=" + ROWS_WRITTEN.sum() + " statements=" + STATEMENTS.sum();
    }

    /** utime + stime of this process in clock ticks (/proc/self/stat fields 14 and 15); -1 off Linux. */
    static long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
