package io.github.appusers.settings;

import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * A realm created from a file ({@code kc.sh import}, {@code --import-realm}) or the admin API may
 * carry settings that turn features on; it is set up like a realm whose settings were changed
 * through our endpoint.
 */
public final class RealmImportListener implements ProviderEventListener {

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof RealmModel.RealmPostCreateEvent created) {
            RealmModel realm = created.getCreatedRealm();
            RealmSetup.ensure(created.getKeycloakSession(), realm, SettingsStore.read(realm));
        }
    }
}
