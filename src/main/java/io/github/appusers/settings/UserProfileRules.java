package io.github.appusers.settings;

import java.util.List;

import io.github.appusers.common.UserProfileAttributes;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The settings rules that depend on the realm's user profile, checked where settings are written
 * (the REST PUT, the console tab, a realm import): {@code custom_data.copy_to_attributes} may name
 * only attributes the user profile declares and lets users edit, as custom data is user-written.
 */
final class UserProfileRules {

    private UserProfileRules() {
    }

    /**
     * Checks {@code updated} when its copy list differs from {@code current} (null: a new realm).
     * An unchanged list is not checked again, so a later change of the user profile does not
     * block unrelated settings; custom data writes skip such attributes instead.
     */
    static void check(KeycloakSession session, RealmModel realm, AppUsersSettings current, AppUsersSettings updated)
            throws SettingsCodec.InvalidSettingsException {
        List<String> names = updated.customData.copyToAttributes;
        if (names.isEmpty() || current != null && names.equals(current.customData.copyToAttributes)) {
            return;
        }
        UserProfileAttributes profile = new UserProfileAttributes(session, realm);
        for (String name : names) {
            if (!profile.declares(name)) {
                throw new SettingsCodec.InvalidSettingsException("setting 'custom_data.copy_to_attributes': attribute '"
                        + name + "' is not declared in the realm's user profile");
            }
            if (!profile.userEditable(name)) {
                throw new SettingsCodec.InvalidSettingsException("setting 'custom_data.copy_to_attributes': attribute '"
                        + name + "' is read-only for users in the realm's user profile");
            }
        }
    }
}
