package io.github.appusers.settings;

import io.github.appusers.common.AppUsersError;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * A realm created from a file ({@code kc.sh import}, {@code --import-realm}) or the admin API may
 * carry settings that turn features on; it is set up like a realm whose settings were changed
 * through our endpoint. Its settings must pass the rules that need the realm (its user profile,
 * imported by now): a realm that breaks them is not created ({@code 400} on the admin API).
 */
public final class RealmImportListener implements ProviderEventListener {

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof RealmModel.RealmPostCreateEvent created) {
            RealmModel realm = created.getCreatedRealm();
            AppUsersSettings settings = SettingsStore.read(realm);
            try {
                UserProfileRules.check(created.getKeycloakSession(), realm, null, settings);
            } catch (SettingsCodec.InvalidSettingsException e) {
                // Our error's response goes out as it is, past Keycloak's error handler, which would roll back.
                created.getKeycloakSession().getTransactionManager().setRollbackOnly();
                throw AppUsersError.invalidRequest("realm '" + realm.getName() + "': " + e.getMessage());
            }
            SettingsChanged.publish(created.getKeycloakSession(), realm, settings);
        }
    }
}
