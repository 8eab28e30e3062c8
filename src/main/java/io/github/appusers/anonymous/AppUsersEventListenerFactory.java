package io.github.appusers.anonymous;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.appusers.common.ClusterSchedule;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * A global event listener (no realm has to enable it) for anonymous-user housekeeping, and the
 * home of the purge schedule. Server options, e.g.
 * {@code --spi-events-listener--app-users--purge-interval-seconds=600}.
 */
public class AppUsersEventListenerFactory implements EventListenerProviderFactory {

    public static final String PROVIDER_ID = "app-users";

    static final String PURGE_INTERVAL_SECONDS = "purge-interval-seconds";
    static final String PURGE_BATCH_SIZE = "purge-batch-size";
    static final String PURGE_MAX_PER_RUN = "purge-max-per-run";
    static final String PURGE_MAX_SECONDS = "purge-max-seconds";

    private static volatile int batchSize = 200;
    private long purgeIntervalSeconds = 3600;
    private int purgeMaxPerRun = 10_000;
    private static volatile int purgeMaxSeconds = 60;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new AppUsersEventListener(session);
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public void init(Config.Scope config) {
        purgeIntervalSeconds = Math.max(10, config.getLong(PURGE_INTERVAL_SECONDS, purgeIntervalSeconds));
        batchSize = Math.max(1, config.getInt(PURGE_BATCH_SIZE, batchSize));
        purgeMaxPerRun = Math.max(1, config.getInt(PURGE_MAX_PER_RUN, purgeMaxPerRun));
        purgeMaxSeconds = Math.max(1, config.getInt(PURGE_MAX_SECONDS, purgeMaxSeconds));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                ClusterSchedule.schedule(factory, "app-users-anonymous-purge", purgeIntervalSeconds * 1000,
                        session -> purgeAllRealms(session, factory));
            }
        });
    }

    private void purgeAllRealms(KeycloakSession session, KeycloakSessionFactory factory) {
        AnonymousPurge purge = new AnonymousPurge(factory, batchSize);
        long deadline = purgeDeadline(Integer.MAX_VALUE);
        // A shuffled order: when one run's time is up, the realms it did not reach come first some other run.
        List<RealmModel> realms = new ArrayList<>(session.realms().getRealmsStream().toList());
        Collections.shuffle(realms);
        for (RealmModel realm : realms) {
            AppUsersSettings.Anonymous settings = SettingsStore.read(realm).anonymous;
            if (settings.enabled && settings.purgeInactiveDays > 0) {
                long cutoff = System.currentTimeMillis() - settings.purgeInactiveDays * 24L * 3600 * 1000;
                purge.purge(realm.getId(), cutoff, purgeMaxPerRun, deadline);
            }
        }
    }

    /**
     * When a purge starting now stops starting batches, after {@code seconds} and never later than
     * purge-max-seconds: one run or admin call holds a transaction open meanwhile.
     */
    static long purgeDeadline(int seconds) {
        return System.nanoTime() + Math.min(seconds, purgeMaxSeconds) * 1_000_000_000L;
    }

    static int batchSize() {
        return batchSize;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(PURGE_INTERVAL_SECONDS).type("int").defaultValue(3600)
                .helpText("How often the purge of inactive anonymous users runs (on one node of the cluster).").add()
                .property().name(PURGE_BATCH_SIZE).type("int").defaultValue(200)
                .helpText("Users deleted per transaction by the purge.").add()
                .property().name(PURGE_MAX_PER_RUN).type("int").defaultValue(10_000)
                .helpText("Most users one scheduled run deletes per realm; the rest wait for the next run.").add()
                .property().name(PURGE_MAX_SECONDS).type("int").defaultValue(60)
                .helpText("Longest a scheduled run or an admin purge call keeps starting batches; the rest waits "
                        + "for the next run or call. Keep it well under the transaction timeout (300 s).").add()
                .build();
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
