package dev.kiln.runtime.train;

import java.util.function.LongSupplier;

/** A nanosecond clock for tests: it advances by {@code tick} at every reading, and by {@link #advance} on demand. */
final class ManualClock implements LongSupplier {

    private long now = 1_000_000_000L;
    private final long tick;

    ManualClock(long tickNanos) {
        this.tick = tickNanos;
    }

    void advanceMillis(long millis) {
        now += millis * 1_000_000L;
    }

    @Override
    public long getAsLong() {
        long t = now;
        now += tick;
        return t;
    }
}
