package io.github.appusers.settings;

import io.github.appusers.emailpassword.ConfirmationPendingActionFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;

/**
 * What a realm needs once features are on: the {@code app-users} client scope, and, with
 * email/password, our "confirm registration" required action registered in the realm (Keycloak
 * runs only required actions a realm has registered). Idempotent.
 */
public final class RealmSetup {

    private RealmSetup() {
    }

    public static void ensure(KeycloakSession session, RealmModel realm, AppUsersSettings settings) {
        if (settings.anyFeatureEnabled()) {
            AppUsersClientScope.ensure(session, realm);
        }
        if (settings.emailPassword.enabled) {
            ensureConfirmationAction(realm);
        }
    }

    private static void ensureConfirmationAction(RealmModel realm) {
        String id = ConfirmationPendingActionFactory.PROVIDER_ID;
        RequiredActionProviderModel existing = realm.getRequiredActionProviderByAlias(id);
        if (existing == null) {
            RequiredActionProviderModel action = new RequiredActionProviderModel();
            action.setAlias(id);
            action.setProviderId(id);
            action.setName("Confirm registration (app-users)");
            action.setEnabled(true);
            action.setDefaultAction(false);
            action.setPriority(5);
            realm.addRequiredActionProvider(action);
        } else if (!existing.isEnabled()) {
            existing.setEnabled(true);
            realm.updateRequiredActionProvider(existing);
        }
    }
}
