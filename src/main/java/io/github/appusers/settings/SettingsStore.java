package io.github.appusers.settings;

import com.fasterxml.jackson.databind.JsonNode;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Keeps a realm's settings in one realm attribute, so realm export and import carry them and
 * every cluster node sees the same value through Keycloak's realm cache.
 */
public final class SettingsStore {

    /** The realm attribute holding the settings document (JSON; may be partial, defaults fill the rest). */
    public static final String REALM_ATTRIBUTE = "app-users.settings";

    private static final Logger LOG = Logger.getLogger(SettingsStore.class);

    private SettingsStore() {
    }

    /** The realm's settings; a broken stored document falls back to the defaults (all off) with a warning. */
    public static AppUsersSettings read(RealmModel realm) {
        String stored = realm.getAttribute(REALM_ATTRIBUTE);
        try {
            return SettingsCodec.fromStoredForm(stored);
        } catch (SettingsCodec.InvalidSettingsException e) {
            LOG.warnf("Realm '%s': realm attribute '%s' is invalid (%s); using the defaults, every feature off",
                    realm.getName(), REALM_ATTRIBUTE, e.getMessage());
            return SettingsCodec.defaults();
        }
    }

    /** Merges {@code patch} into the realm's settings and stores the result; nothing changes when it is refused. */
    public static AppUsersSettings update(KeycloakSession session, RealmModel realm, JsonNode patch)
            throws SettingsCodec.InvalidSettingsException {
        AppUsersSettings merged = SettingsCodec.merge(read(realm), patch);
        realm.setAttribute(REALM_ATTRIBUTE, SettingsCodec.toStoredForm(merged));
        RealmSetup.ensure(session, realm, merged);
        return merged;
    }
}
