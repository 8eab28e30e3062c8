package io.github.appusers.common;

import java.util.Map;
import java.util.function.LongSupplier;

import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * A sliding-window limit kept in Keycloak's single-use object store, which is an Infinispan cache
 * shared by every node of a cluster: at most {@code limit} uses of a bucket in any
 * {@code windowSeconds}, not per calendar window, so a burst just before the hour and another just
 * after it cannot get twice the limit.
 *
 * <p>Each allowed use claims the next ticket number of its bucket with an atomic putIfAbsent (two
 * nodes can never both take ticket n) and then notes its time on the ticket. Use n is allowed
 * when use n - limit is more than a window ago (or never was): then at most limit - 1 uses are
 * inside the window. A hint key remembers the last ticket taken, so finding the next one stays
 * O(1) in the usual case. Tickets outlive their window a little and then expire by themselves.
 */
public final class RateLimiter {

    private static final String PREFIX = "app-users.rate.";
    private static final String NEXT = "next";
    private static final String TIME = "t";
    /** Tickets live this much longer than their window, so clock skew between nodes never frees one early. */
    private static final long GRACE_SECONDS = 60;

    /** The outcome of one {@link #acquire}: allowed, or refused until {@code retryAfterSeconds} have passed. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
        static final Decision ALLOWED = new Decision(true, 0);
    }

    private final SingleUseObjectProvider store;
    private final LongSupplier clock;

    public RateLimiter(KeycloakSession session) {
        this(session.singleUseObjects(), Time::currentTimeSeconds);
    }

    /** With the store and the clock (unix seconds) given, for tests. */
    RateLimiter(SingleUseObjectProvider store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Counts one use of {@code bucket} when fewer than {@code limit} uses fall in the last
     * {@code windowSeconds}; otherwise counts nothing and says when the next use would pass.
     * A limit of 0 (or less) means no limit.
     */
    public Decision acquire(String bucket, int limit, int windowSeconds) {
        if (limit <= 0) {
            return Decision.ALLOWED;
        }
        String prefix = PREFIX + bucket + "#";
        long lifespan = windowSeconds + GRACE_SECONDS;
        long ticket = lastTicket(prefix) + 1;
        while (true) {
            while (store.contains(prefix + ticket)) {
                ticket++;
            }
            long now = clock.getAsLong();
            long freeAt = freeAt(prefix, ticket - limit, windowSeconds, now);
            if (freeAt > now) {
                return new Decision(false, freeAt - now);
            }
            if (store.putIfAbsent(prefix + ticket, lifespan)) {
                store.put(prefix + ticket, lifespan, Map.of(TIME, Long.toString(now)));
                store.put(prefix + NEXT, lifespan, Map.of(NEXT, Long.toString(ticket)));
                return Decision.ALLOWED;
            }
            ticket++; // another request, maybe on another node, took this ticket first
        }
    }

    /**
     * When the use with ticket {@code earlier} leaves the window: at once when there was none or
     * it has expired; a ticket taken a moment ago whose time is not noted yet counts as now.
     */
    private long freeAt(String prefix, long earlier, int windowSeconds, long now) {
        if (earlier < 1) {
            return now;
        }
        Map<String, String> notes = store.get(prefix + earlier);
        if (notes == null && !store.contains(prefix + earlier)) {
            return now;
        }
        long at = parse(notes == null ? null : notes.get(TIME), now);
        return at + windowSeconds;
    }

    private long lastTicket(String prefix) {
        Map<String, String> notes = store.get(prefix + NEXT);
        return notes == null ? 0 : Math.max(0, parse(notes.get(NEXT), 0));
    }

    private static long parse(String value, long otherwise) {
        if (value == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
