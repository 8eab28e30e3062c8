package io.github.appusers.setup;

import io.github.appusers.functions.FunctionRegistry;
import io.github.appusers.settings.SettingsChanged;
import io.github.appusers.settings.SettingsSecrets;
import io.github.appusers.settings.SettingsStore;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * Brings realms of earlier versions up to this one with no admin action, at start (every realm,
 * on one node of a cluster at a time) and for every realm created or imported:
 * <ul>
 *   <li>secrets that earlier versions kept in realm attributes (function secrets, the HS256
 *       secret) move into the realm's stored secrets (the features also move them the first time
 *       they are used);</li>
 *   <li>at start, a realm with features on is set up again ({@link SettingsChanged}), so what this
 *       version adds to a realm's setup (e.g. the direct grant step of email/password) reaches
 *       realms whose settings nobody changed since.</li>
 * </ul>
 */
public final class RealmUpgrades implements ProviderEventListener {

    private static final String TASK = "app-users-realm-upgrades";
    private static final int LOCK_SECONDS = 300;

    private final KeycloakSessionFactory factory;

    public RealmUpgrades(KeycloakSessionFactory factory) {
        this.factory = factory;
    }

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof PostMigrationEvent) {
            KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(ClusterProvider.class)
                    .executeIfNotExecuted(TASK, LOCK_SECONDS, () -> {
                        session.realms().getRealmsStream().forEach(realm -> upgrade(session, realm));
                        return null;
                    }));
        } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
            moveLegacySecrets(created.getKeycloakSession(), created.getCreatedRealm());
        }
    }

    private static void upgrade(KeycloakSession session, RealmModel realm) {
        moveLegacySecrets(session, realm);
        var settings = SettingsStore.read(realm);
        if (settings.anyFeatureEnabled()) {
            session.getContext().setRealm(realm);
            session.getKeycloakSessionFactory().publish(new SettingsChanged(session, realm, settings));
        }
    }

    static void moveLegacySecrets(KeycloakSession session, RealmModel realm) {
        new FunctionRegistry(session, realm).moveLegacySecrets();
        new SettingsSecrets(session, realm).moveLegacy();
    }
}
