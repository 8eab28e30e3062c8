package io.github.appusers.anonymous;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The global event listener {@code app-users} (no realm has to enable it) of anonymous users, and
 * the owner of the purge's server options ({@link PurgeOptions}), which keep the names they had,
 * e.g. {@code --spi-events-listener--app-users--purge-interval-seconds=600}. It starts the
 * {@link PurgeSchedule} once the database is migrated.
 */
public class AnonymousEventListenerFactory implements EventListenerProviderFactory {

    public static final String PROVIDER_ID = "app-users";

    private PurgeOptions options = PurgeOptions.DEFAULTS;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new AnonymousEventListener(session);
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public void init(Config.Scope config) {
        options = PurgeOptions.from(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                new PurgeSchedule(factory, options).start();
            }
        });
    }

    /** The purge options of this server, for admin-triggered purges. */
    static PurgeOptions options(KeycloakSession session) {
        return ((AnonymousEventListenerFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(EventListenerProvider.class, PROVIDER_ID)).options;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        PurgeOptions defaults = PurgeOptions.DEFAULTS;
        return ProviderConfigurationBuilder.create()
                .property().name(PurgeOptions.INTERVAL_SECONDS).type("int").defaultValue(defaults.intervalSeconds())
                .helpText("How often the purge of inactive anonymous users runs (on one node of the cluster).").add()
                .property().name(PurgeOptions.BATCH_SIZE).type("int").defaultValue(defaults.batchSize())
                .helpText("Users deleted per transaction by the purge.").add()
                .property().name(PurgeOptions.MAX_PER_RUN).type("int").defaultValue(defaults.maxPerRun())
                .helpText("Most users one scheduled run deletes per realm; the rest wait for the next run.").add()
                .property().name(PurgeOptions.MAX_SECONDS).type("int").defaultValue(defaults.maxSeconds())
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
