package io.github.appusers.settings;

import com.fasterxml.jackson.databind.JsonNode;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Keeps a realm's settings in one realm attribute, so realm export and import carry them and
 * every cluster node sees the same value through Keycloak's realm cache. Secret-typed settings
 * are kept apart ({@link SettingsSecrets}).
 */
public final class SettingsStore {

    /** The realm attribute holding the settings document (JSON; may be partial, defaults fill the rest). */
    public static final String REALM_ATTRIBUTE = "app-users.settings";

    private static final Logger LOG = Logger.getLogger(SettingsStore.class);

    /**
     * Parsed documents by their exact stored text: settings are read on every grant and event, and
     * parsing is the cost. A memo of a pure function, not shared state: the realm attribute (in
     * Keycloak's realm cache, the same on every node) stays the only source; a changed document is
     * a new key. Callers must treat the returned settings as read-only.
     */
    private static final java.util.Map<String, AppUsersSettings> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_PARSED = 1024;
    private static final AppUsersSettings DEFAULTS = SettingsCodec.defaults();

    private SettingsStore() {
    }

    /**
     * The realm's settings, without secrets; a broken stored document falls back to the defaults
     * (all off) with a warning.
     */
    public static AppUsersSettings read(RealmModel realm) {
        String stored = realm.getAttribute(REALM_ATTRIBUTE);
        if (stored == null) {
            return DEFAULTS;
        }
        AppUsersSettings parsed = PARSED.get(stored);
        if (parsed != null) {
            return parsed;
        }
        try {
            parsed = SettingsCodec.fromStoredForm(stored);
            if (PARSED.size() >= MAX_PARSED) {
                PARSED.clear();
            }
            PARSED.put(stored, parsed);
            return parsed;
        } catch (SettingsCodec.InvalidSettingsException e) {
            LOG.warnf("Realm '%s': realm attribute '%s' is invalid (%s); using the defaults, every feature off",
                    realm.getName(), REALM_ATTRIBUTE, e.getMessage());
            return SettingsCodec.defaults();
        }
    }

    /** The realm's settings with the secret fields filled in as stored: what an admin's view masks. */
    public static AppUsersSettings readWithSecrets(KeycloakSession session, RealmModel realm) {
        return new SettingsSecrets(session, realm).filled(read(realm));
    }

    /** The realm's settings as admins see them: derived settings hold their effective values. */
    public static AppUsersSettings effective(RealmModel realm, AppUsersSettings settings) {
        return SettingsCodec.effective(settings, isAdminRealm(realm));
    }

    /** Keycloak's admin realm ({@code master}), whose users are administrators rather than app users. */
    public static boolean isAdminRealm(RealmModel realm) {
        return Config.getAdminRealm().equals(realm.getName());
    }

    /**
     * Merges {@code patch} into the realm's settings and stores the result (secrets apart); nothing
     * changes when it is refused. The REST PUT and the console tab alike: the strict merge, the
     * rules of a write, the rules that need the realm (its user profile). Returns the result with
     * its secrets filled in.
     *
     * @param always store (and set the realm up) even when nothing changed, as a PUT does
     */
    public static AppUsersSettings update(KeycloakSession session, RealmModel realm, JsonNode patch, boolean always)
            throws SettingsCodec.InvalidSettingsException {
        SettingsSecrets secrets = new SettingsSecrets(session, realm);
        AppUsersSettings current = secrets.filled(read(realm));
        AppUsersSettings merged = SettingsCodec.merge(current,
                SettingsCodec.withoutUnchangedDerived(current, patch, isAdminRealm(realm)));
        if (!always && SettingsCodec.toJson(merged).equals(SettingsCodec.toJson(current))) {
            // Unchanged (the console tab's mirror of an imported realm): settings of an earlier
            // version that the write rules would refuse stay readable.
            return merged;
        }
        SettingsRules.validateForWrite(merged);
        UserProfileRules.check(session, realm, current, merged);
        secrets.store(current, merged);
        realm.setAttribute(REALM_ATTRIBUTE, SettingsCodec.toStoredForm(merged));
        SettingsChanged.publish(session, realm, merged);
        return merged;
    }
}
