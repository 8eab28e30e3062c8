package io.github.appusers.common;

import java.util.Map;

import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * A fixed-window counter kept in Keycloak's single-use object store, which is an Infinispan cache
 * shared by every node of a cluster. Each allowed request claims one numbered slot with an atomic
 * putIfAbsent, so two nodes can never both take slot n; a hint key remembers the highest slot seen
 * so the search stays O(1) in the usual case.
 */
public final class RateLimiter {

    private static final String HINT = "n";

    private final SingleUseObjectProvider store;

    public RateLimiter(KeycloakSession session) {
        this.store = session.singleUseObjects();
    }

    /**
     * Claims one use of {@code bucket} in the current window of {@code windowSeconds}; false when
     * {@code limit} uses were already claimed. A limit of 0 means no limit.
     */
    public boolean tryAcquire(String bucket, int limit, int windowSeconds) {
        if (limit <= 0) {
            return true;
        }
        long window = Time.currentTime() / windowSeconds;
        String prefix = "app-users.rate." + bucket + "." + window + ".";
        long lifespan = windowSeconds + 60L;
        int start = hint(prefix + HINT);
        for (int slot = start + 1; slot <= limit; slot++) {
            if (store.putIfAbsent(prefix + slot, lifespan)) {
                store.put(prefix + HINT, lifespan, Map.of(HINT, Integer.toString(slot)));
                return true;
            }
        }
        return false;
    }

    /** Seconds until the current window of {@code windowSeconds} ends, for Retry-After. */
    public static long secondsUntilNextWindow(int windowSeconds) {
        long now = Time.currentTime();
        return windowSeconds - (now % windowSeconds);
    }

    private int hint(String key) {
        Map<String, String> notes = store.get(key);
        if (notes == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(notes.getOrDefault(HINT, "0")));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
