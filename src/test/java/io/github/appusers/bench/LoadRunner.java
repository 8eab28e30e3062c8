package io.github.appusers.bench;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A closed-loop load generator: {@code threads} workers send requests back to back for a fixed
 * time, each recording its latencies. Bounded in time; only loopback targets.
 */
final class LoadRunner {

    /** One request; returns true when the server answered as expected. */
    interface Request {
        boolean send(int worker) throws Exception;
    }

    /** What one flow did over one or more measured periods. */
    static final class Stats {
        final String name;
        private long failures;
        private double seconds;
        private long[] latencies = new long[0];

        Stats(String name) {
            this.name = name;
        }

        synchronized void add(long[] sampleLatencies, long sampleFailures, double sampleSeconds) {
            long[] merged = Arrays.copyOf(latencies, latencies.length + sampleLatencies.length);
            System.arraycopy(sampleLatencies, 0, merged, latencies.length, sampleLatencies.length);
            latencies = merged;
            failures += sampleFailures;
            seconds += sampleSeconds;
        }

        void add(Stats other) {
            add(other.latencies, other.failures, other.seconds);
        }

        long requests() {
            return latencies.length - failures;
        }

        long failures() {
            return failures;
        }

        double perSecond() {
            return requests() / seconds;
        }

        double percentileMillis(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1e6;
        }
    }

    private final int threads;

    LoadRunner(int threads) {
        this.threads = threads;
    }

    int threads() {
        return threads;
    }

    static HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Sends requests for {@code duration} and adds what happened to {@code stats}. */
    void measure(Duration duration, Request request, Stats stats) throws Exception {
        List<Long> latencies = new ArrayList<>();
        long[] failures = new long[1];
        long start = System.nanoTime();
        runFor(duration, request, (nanos, ok) -> {
            synchronized (latencies) {
                latencies.add(nanos);
                if (!ok) {
                    failures[0]++;
                }
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        stats.add(latencies.stream().mapToLong(Long::longValue).toArray(), failures[0], seconds);
    }

    /** Sends requests for {@code duration} without recording them (warm-up, background load). */
    void warmUp(Duration duration, Request request) throws Exception {
        runFor(duration, request, (nanos, ok) -> { });
    }

    private interface Sink {
        void record(long nanos, boolean ok);
    }

    private void runFor(Duration duration, Request request, Sink sink) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int worker = w;
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        boolean ok;
                        try {
                            ok = request.send(worker);
                        } catch (Exception e) {
                            ok = false;
                        }
                        sink.record(System.nanoTime() - t0, ok);
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static String table(List<Stats> results, Stats baseline) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-40s %10s %9s %9s %9s %8s%n", "flow", "req/s", "p50 ms", "p99 ms", "failures",
                "ratio"));
        for (Stats r : results) {
            out.append(String.format("%-40s %10.1f %9.1f %9.1f %9d %8.2f%n", r.name, r.perSecond(),
                    r.percentileMillis(0.50), r.percentileMillis(0.99), r.failures(),
                    r.perSecond() / baseline.perSecond()));
        }
        return out.toString();
    }
}
