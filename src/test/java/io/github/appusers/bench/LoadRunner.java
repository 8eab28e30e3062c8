package io.github.appusers.bench;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A closed-loop load generator: {@code threads} workers send requests back to back for a fixed
 * time after a warm-up, each recording its latencies. Bounded in time; only loopback targets.
 */
final class LoadRunner {

    /** One request; returns true when the server answered as expected. */
    interface Request {
        boolean send(int worker) throws Exception;
    }

    record Result(String name, long requests, long failures, double seconds, double p50Millis, double p99Millis) {
        double perSecond() {
            return requests / seconds;
        }
    }

    private final int threads;
    private final Duration warmUp;
    private final Duration measure;

    LoadRunner(int threads, Duration warmUp, Duration measure) {
        this.threads = threads;
        this.warmUp = warmUp;
        this.measure = measure;
    }

    static HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    Result run(String name, Request request) throws Exception {
        runFor(warmUp, request, null);
        List<long[]> latencies = new ArrayList<>();
        long[] failures = new long[1];
        long start = System.nanoTime();
        runFor(measure, request, (worker, nanos, ok) -> {
            synchronized (latencies) {
                latencies.add(new long[] {nanos});
                if (!ok) {
                    failures[0]++;
                }
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(l -> l[0]).sorted().toArray();
        return new Result(name, sorted.length - failures[0], failures[0], seconds, percentile(sorted, 0.50),
                percentile(sorted, 0.99));
    }

    private interface Sink {
        void record(int worker, long nanos, boolean ok);
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
                        if (sink != null) {
                            sink.record(worker, System.nanoTime() - t0, ok);
                        }
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

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    static String table(List<Result> results, Result baseline) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-34s %10s %9s %9s %9s %8s%n", "flow", "req/s", "p50 ms", "p99 ms", "failures",
                "ratio"));
        for (Result r : results) {
            out.append(String.format("%-34s %10.1f %9.1f %9.1f %9d %8.2f%n", r.name(), r.perSecond(), r.p50Millis(),
                    r.p99Millis(), r.failures(), r.perSecond() / baseline.perSecond()));
        }
        return out.toString();
    }
}
