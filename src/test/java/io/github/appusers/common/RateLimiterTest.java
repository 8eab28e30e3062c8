package io.github.appusers.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * The sliding window of {@link RateLimiter} on a small in-memory single-use store that expires
 * entries like Keycloak's does, with a clock the test moves (no sleeps).
 */
class RateLimiterTest {

    private static final int HOUR = 3600;
    /** 10:00:00 on some day, in unix seconds: a multiple of the hour. */
    private static final long TEN_O_CLOCK = 1_750_000_000L / HOUR * HOUR + 10 * HOUR;

    private long now = TEN_O_CLOCK;
    private final FakeStore store = new FakeStore();
    private final RateLimiter limiter = new RateLimiter(store, () -> now);

    private RateLimiter.Decision use(String bucket, int limit, int window) {
        return limiter.acquire(bucket, limit, window);
    }

    private void allow(int times, String bucket, int limit, int window) {
        for (int i = 0; i < times; i++) {
            assertTrue(use(bucket, limit, window).allowed(), "use " + (i + 1) + " of " + times + " at " + now);
        }
    }

    @Test
    void theLimitIsReachedAndTheNextUseIsRefusedUntilTheFirstLeavesTheWindow() {
        allow(3, "b", 3, 60);
        RateLimiter.Decision refused = use("b", 3, 60);
        assertFalse(refused.allowed());
        assertEquals(60, refused.retryAfterSeconds());
        // Refused uses count nothing: the limit still frees up when the first use leaves.
        for (int i = 0; i < 5; i++) {
            assertFalse(use("b", 3, 60).allowed());
        }
        now += 59;
        assertEquals(1, use("b", 3, 60).retryAfterSeconds());
        now += 1;
        allow(3, "b", 3, 60);
        assertFalse(use("b", 3, 60).allowed());
    }

    @Test
    void aBurstBeforeTheHourAndAnotherAfterItGetTheLimitOnceNotTwice() {
        now = TEN_O_CLOCK + 59 * 60; // 10:59
        allow(5, "anon", 5, HOUR);
        now = TEN_O_CLOCK + HOUR; // 11:00: a fixed window would start again here
        for (int i = 0; i < 5; i++) {
            RateLimiter.Decision refused = use("anon", 5, HOUR);
            assertFalse(refused.allowed(), "use " + (i + 1) + " of the second burst");
            assertEquals(59 * 60, refused.retryAfterSeconds(), "the 10:59 uses leave the window at 11:59");
        }
        now = TEN_O_CLOCK + HOUR + 59 * 60; // 11:59
        allow(5, "anon", 5, HOUR);
        assertFalse(use("anon", 5, HOUR).allowed());
    }

    @Test
    void theWindowSlidesUseByUseAcrossAWindowBoundary() {
        now = TEN_O_CLOCK - 30; // 09:59:30
        allow(1, "b", 3, 60);
        now += 10;
        allow(1, "b", 3, 60);
        now += 10; // 09:59:50
        allow(1, "b", 3, 60);
        now = TEN_O_CLOCK + 29; // 10:00:29, in another calendar minute
        assertEquals(1, use("b", 3, 60).retryAfterSeconds());
        now += 1; // the 09:59:30 use leaves
        allow(1, "b", 3, 60);
        RateLimiter.Decision refused = use("b", 3, 60);
        assertFalse(refused.allowed());
        assertEquals(10, refused.retryAfterSeconds(), "the 09:59:40 use leaves at 10:00:40");
        now += 10;
        allow(1, "b", 3, 60);
        assertEquals(10, use("b", 3, 60).retryAfterSeconds(), "the 09:59:50 use leaves at 10:00:50");
        now += 10;
        allow(1, "b", 3, 60);
        assertEquals(40, use("b", 3, 60).retryAfterSeconds(), "the 10:00:30 use leaves at 10:01:30");
    }

    @Test
    void aLimitOfZeroIsNoLimitAndStoresNothing() {
        for (int i = 0; i < 1000; i++) {
            assertTrue(use("b", 0, HOUR).allowed());
        }
        assertEquals(0, store.size());
    }

    @Test
    void bucketsAreCountedApart() {
        allow(2, "realm-a.192.0.2.1", 2, HOUR);
        assertFalse(use("realm-a.192.0.2.1", 2, HOUR).allowed());
        allow(2, "realm-a.192.0.2.2", 2, HOUR);
        allow(2, "realm-b.192.0.2.1", 2, HOUR);
    }

    @Test
    void raisingTheLimitLetsMoreInAtOnceAndLoweringItRefusesAtOnce() {
        allow(3, "b", 3, HOUR);
        assertFalse(use("b", 3, HOUR).allowed());
        allow(1, "b", 4, HOUR);
        assertFalse(use("b", 4, HOUR).allowed());
        now += 100;
        assertEquals(HOUR - 100, use("b", 2, HOUR).retryAfterSeconds());
    }

    @Test
    void anIdleBucketIsForgottenByTheStoreAndStartsAfresh() {
        allow(3, "b", 3, 60);
        now += 60 + 3600;
        assertEquals(0, store.size(), "every ticket and the hint expired");
        allow(3, "b", 3, 60);
        assertFalse(use("b", 3, 60).allowed());
    }

    @Test
    void aTicketTakenOnAnotherNodeFirstIsSkippedAndCounted() {
        allow(1, "b", 3, 60);
        // Another node takes ticket 2 between our look and our claim.
        store.beforePutIfAbsent = (key, s) -> {
            if (key.endsWith("#2")) {
                s.beforePutIfAbsent = null;
                s.putIfAbsent(key, 120);
                s.put(key, 120, Map.of("t", Long.toString(now)));
            }
        };
        allow(1, "b", 3, 60);
        assertTrue(store.contains("app-users.rate.b#3"), "we took the next ticket");
        assertFalse(use("b", 3, 60).allowed(), "the other node's use counts");
    }

    @Test
    void aStaleHintOnlyCostsLookups() {
        allow(3, "b", 5, 60);
        store.put("app-users.rate.b#next", 120, Map.of("next", "1"));
        allow(2, "b", 5, 60);
        assertFalse(use("b", 5, 60).allowed());
    }

    @Test
    void aTicketWhoseTimeIsNotNotedYetCountsAsNow() {
        allow(1, "b", 2, 60);
        now += 30;
        // A use on another node claimed ticket 2 a moment ago and has not noted its time yet.
        store.putIfAbsent("app-users.rate.b#2", 120);
        store.put("app-users.rate.b#next", 120, Map.of("next", "2"));
        now += 40; // ticket 1 has left the window; ticket 2 counts as just taken
        allow(1, "b", 2, 60);
        RateLimiter.Decision refused = use("b", 2, 60);
        assertFalse(refused.allowed());
        assertEquals(60, refused.retryAfterSeconds());
    }

    /** Keycloak's single-use store in memory: entries expire after their lifespan on the test's clock. */
    private final class FakeStore implements SingleUseObjectProvider {

        private record Entry(Map<String, String> notes, long expires) {
        }

        private final Map<String, Entry> entries = new HashMap<>();
        BiConsumer<String, FakeStore> beforePutIfAbsent;

        int size() {
            live("");
            return entries.size();
        }

        private Entry live(String key) {
            entries.values().removeIf(entry -> entry.expires() <= now);
            return entries.get(key);
        }

        @Override
        public void put(String key, long lifespanSeconds, Map<String, String> notes) {
            live(key);
            entries.put(key, new Entry(Map.copyOf(notes), now + lifespanSeconds));
        }

        @Override
        public Map<String, String> get(String key) {
            Entry entry = live(key);
            return entry == null ? null : entry.notes();
        }

        @Override
        public Map<String, String> remove(String key) {
            Entry entry = live(key);
            entries.remove(key);
            return entry == null ? null : entry.notes();
        }

        @Override
        public boolean replace(String key, Map<String, String> notes) {
            Entry entry = live(key);
            if (entry == null) {
                return false;
            }
            entries.put(key, new Entry(Map.copyOf(notes), entry.expires()));
            return true;
        }

        @Override
        public boolean putIfAbsent(String key, long lifespanInSeconds) {
            if (beforePutIfAbsent != null) {
                beforePutIfAbsent.accept(key, this);
            }
            if (live(key) != null) {
                return false;
            }
            entries.put(key, new Entry(Map.of(), now + lifespanInSeconds));
            return true;
        }

        @Override
        public boolean contains(String key) {
            return live(key) != null;
        }

        @Override
        public void close() {
        }
    }
}
