package io.github.appusers.settings;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

import io.github.appusers.secrets.RealmSecrets;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The secret-typed settings (today the custom JWT HS256 secret): kept as stored secrets of the
 * realm, never in the settings attribute. Writes see them filled in (so the mask an admin sends
 * back keeps the secret), the runtime reads them by name.
 */
public final class SettingsSecrets {

    /** The stored secret holding {@code custom_token.hs256_secret}. */
    public static final String HS256 = "custom_token.hs256_secret";
    /** HS256 keys shorter than the hash output are weak (RFC 7518, 3.2). */
    static final int MIN_HS256_BYTES = 32;

    private static final Logger LOG = Logger.getLogger(SettingsSecrets.class);

    private final RealmModel realm;
    private final RealmSecrets secrets;

    public SettingsSecrets(KeycloakSession session, RealmModel realm) {
        this.realm = realm;
        this.secrets = new RealmSecrets(session, realm);
    }

    /** The HS256 secret for verifying tokens (a vault reference resolved); moves one stored by an earlier version first. */
    public Optional<String> hs256() {
        moveLegacy();
        // Fails closed on a weak key, however it got there (an import, a legacy document, a component).
        return secrets.resolve(HS256).filter(key -> key.getBytes(StandardCharsets.UTF_8).length >= MIN_HS256_BYTES);
    }

    /** A copy of {@code settings} with its secret fields as stored (vault references as such), for writes and masked views. */
    AppUsersSettings filled(AppUsersSettings settings) {
        return secrets.stored(HS256).map(value -> SettingsCodec.withHs256Secret(settings, value)).orElse(settings);
    }

    /** Checks the secrets of a merged document and writes those that changed against {@code current}. */
    void store(AppUsersSettings current, AppUsersSettings merged) throws SettingsCodec.InvalidSettingsException {
        String wanted = merged.customToken.hs256Secret;
        if (Objects.equals(wanted, current.customToken.hs256Secret)) {
            if (wanted != null && !secrets.has(HS256)) {
                secrets.put(HS256, wanted); // kept as it was: one stored by an earlier version moves
            }
            return;
        }
        if (wanted == null) {
            secrets.remove(HS256);
            return;
        }
        String resolved = secrets.resolveValue(wanted).orElseThrow(() -> new SettingsCodec.InvalidSettingsException(
                "setting 'custom_token.hs256_secret' refers to a vault entry that does not exist"));
        if (resolved.getBytes(StandardCharsets.UTF_8).length < MIN_HS256_BYTES) {
            throw new SettingsCodec.InvalidSettingsException("setting 'custom_token.hs256_secret' must be at least "
                    + MIN_HS256_BYTES + " bytes");
        }
        secrets.put(HS256, wanted);
    }

    /** Versions before 0.2 kept the HS256 secret in the settings attribute: it becomes a stored secret. */
    public void moveLegacy() {
        AppUsersSettings stored = SettingsStore.read(realm);
        String legacy = stored.customToken.hs256Secret;
        if (legacy == null) {
            return;
        }
        if (!secrets.has(HS256)) {
            secrets.put(HS256, legacy);
        }
        realm.setAttribute(SettingsStore.REALM_ATTRIBUTE, SettingsCodec.toStoredForm(stored));
        LOG.infof("Realm '%s': moved custom_token.hs256_secret out of the realm attributes", realm.getName());
    }
}
