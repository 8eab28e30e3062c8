package io.github.appusers.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * A bounded wait for something the server does on its own time (an email leaving after the
 * answer, a scheduled purge, a restart): polls a condition the test can observe and returns as
 * soon as it holds. Never a fixed sleep: the test waits no longer than it must, and a condition
 * that never comes fails with what it waited for.
 */
public final class Eventually {

    private static final Duration POLL = Duration.ofMillis(200);

    private Eventually() {
    }

    /** Waits until {@code condition} holds; fails after {@code limit}, naming {@code what} it waited for. */
    public static void await(String what, Duration limit, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting until " + what);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }
}
