package io.github.appusers.settings;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;

/**
 * Published (inside the transaction that made it) when a realm's settings were written or a realm
 * was created with settings: realm setup and the features set the realm up for what is on,
 * instead of the settings store knowing each of them.
 */
public record SettingsChanged(KeycloakSession session, RealmModel realm, AppUsersSettings settings)
        implements ProviderEvent {

    static void publish(KeycloakSession session, RealmModel realm, AppUsersSettings settings) {
        session.getKeycloakSessionFactory().publish(new SettingsChanged(session, realm, settings));
    }
}
