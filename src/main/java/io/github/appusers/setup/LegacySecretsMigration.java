package io.github.appusers.setup;

import io.github.appusers.functions.FunctionRegistry;
import io.github.appusers.settings.SettingsSecrets;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * Versions before 0.2 kept function secrets and the HS256 secret in realm attributes. They move
 * into the realm's stored secrets with no admin action: at start for every realm (on one node of
 * a cluster at a time), for every realm created or imported, and (by the features themselves) the
 * first time such a secret is used.
 */
public final class LegacySecretsMigration implements ProviderEventListener {

    private static final String TASK = "app-users-legacy-secrets";
    private static final int LOCK_SECONDS = 300;

    private final KeycloakSessionFactory factory;

    public LegacySecretsMigration(KeycloakSessionFactory factory) {
        this.factory = factory;
    }

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof PostMigrationEvent) {
            KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(ClusterProvider.class)
                    .executeIfNotExecuted(TASK, LOCK_SECONDS, () -> {
                        session.realms().getRealmsStream().forEach(realm -> move(session, realm));
                        return null;
                    }));
        } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
            move(created.getKeycloakSession(), created.getCreatedRealm());
        }
    }

    static void move(KeycloakSession session, RealmModel realm) {
        new FunctionRegistry(session, realm).moveLegacySecrets();
        new SettingsSecrets(session, realm).moveLegacy();
    }
}
