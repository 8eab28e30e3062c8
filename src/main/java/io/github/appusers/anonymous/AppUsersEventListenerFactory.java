package io.github.appusers.anonymous;

import java.util.List;

import io.github.appusers.common.ClusterSchedule;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
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

    private static volatile int batchSize = 200;
    private long purgeIntervalSeconds = 3600;
    private int purgeMaxPerRun = 10_000;

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
        session.realms().getRealmsStream().forEach(realm -> {
            AppUsersSettings.Anonymous settings = SettingsStore.read(realm).anonymous;
            if (settings.enabled && settings.purgeInactiveDays > 0) {
                long cutoff = System.currentTimeMillis() - settings.purgeInactiveDays * 24L * 3600 * 1000;
                purge.purge(realm.getId(), cutoff, purgeMaxPerRun);
            }
        });
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
