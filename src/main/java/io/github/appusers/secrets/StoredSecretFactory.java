package io.github.appusers.secrets;

import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The component type of a stored secret: its name is the secret's name (e.g.
 * {@code function.my-login}), its one property {@value #VALUE} is secret-typed, so Keycloak shows
 * {@code **********} (or the vault reference) instead of the value in the admin API and partial
 * exports. A full export ({@code kc.sh export}) carries the value, as it does for client secrets.
 */
public final class StoredSecretFactory implements AppUsersSecretFactory {

    public static final String PROVIDER_ID = "app-users-secret";
    public static final String VALUE = "value";
    private static final Logger LOG = Logger.getLogger(StoredSecretFactory.class);

    private static final List<ProviderConfigProperty> PROPERTIES = List.of(new ProviderConfigProperty(VALUE, "Secret",
            "The secret, or a vault reference such as ${vault.my-function-secret}.", ProviderConfigProperty.PASSWORD,
            null, true));

    @Override
    public AppUsersSecret create(KeycloakSession session, ComponentModel model) {
        String stored = model.get(VALUE);
        return () -> stored == null ? Optional.empty() : session.vault().getStringSecret(stored).get();
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        String value = model.get(VALUE);
        if (value == null || value.isEmpty()) {
            throw new ComponentValidationException("a stored secret needs a value");
        }
    }

    /** A partial export writes the mask instead of the secret; such a secret is none (see RealmSecrets). */
    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        if (ComponentRepresentation.SECRET_VALUE.equals(model.get(VALUE))) {
            LOG.warnf("Realm '%s': the stored secret '%s' came as the mask of a partial export; it is no secret "
                    + "and is not used until an admin sets it again", realm.getName(), model.getName());
        }
    }

    @Override
    public String getHelpText() {
        return "A secret of keycloak-app-users (function signing secrets, the custom JWT HS256 secret)";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
