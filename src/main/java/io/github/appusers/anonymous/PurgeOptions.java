package io.github.appusers.anonymous;

import org.keycloak.Config;

/**
 * The purge's server options (SPI options of the global event listener {@code app-users}, e.g.
 * {@code --spi-events-listener--app-users--purge-interval-seconds=600}), read once at start.
 */
record PurgeOptions(long intervalSeconds, int batchSize, int maxPerRun, int maxSeconds) {

    static final String INTERVAL_SECONDS = "purge-interval-seconds";
    static final String BATCH_SIZE = "purge-batch-size";
    static final String MAX_PER_RUN = "purge-max-per-run";
    static final String MAX_SECONDS = "purge-max-seconds";

    static final PurgeOptions DEFAULTS = new PurgeOptions(3600, 200, 10_000, 60);

    static PurgeOptions from(Config.Scope config) {
        return new PurgeOptions(
                Math.max(10, config.getLong(INTERVAL_SECONDS, DEFAULTS.intervalSeconds())),
                Math.max(1, config.getInt(BATCH_SIZE, DEFAULTS.batchSize())),
                Math.max(1, config.getInt(MAX_PER_RUN, DEFAULTS.maxPerRun())),
                Math.max(1, config.getInt(MAX_SECONDS, DEFAULTS.maxSeconds())));
    }

    /**
     * When a purge starting now stops starting batches, after {@code seconds} and never later than
     * {@code maxSeconds}: one run or admin call holds a transaction open meanwhile.
     */
    long deadline(int seconds) {
        return System.nanoTime() + Math.min(seconds, maxSeconds) * 1_000_000_000L;
    }
}
