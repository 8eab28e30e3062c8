package io.github.appusers.secrets;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ComponentRepresentation;

/**
 * A realm's secrets by name, each a component of {@link StoredSecretFactory} under the realm.
 * Values may be vault references ({@code ${vault.key}}), stored as given and resolved on use.
 */
public final class RealmSecrets {

    public static final String PROVIDER_TYPE = AppUsersSecret.class.getName();
    private static final Pattern VAULT_REFERENCE = Pattern.compile("^\\$\\{vault\\.(.+?)}$");

    private final KeycloakSession session;
    private final RealmModel realm;

    public RealmSecrets(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /**
     * The secret's value, a vault reference resolved; empty when there is none, when the vault
     * lacks it, or when it is the mask a partial export writes instead of a secret ({@code **********}):
     * a realm made from a partial export has no secrets until an admin sets them again.
     */
    public Optional<String> resolve(String name) {
        return find(name).map(component -> component.get(StoredSecretFactory.VALUE))
                .filter(value -> !ComponentRepresentation.SECRET_VALUE.equals(value))
                .flatMap(this::resolveValue);
    }

    /** Whether the realm has this secret (a vault reference counts, resolvable or not). */
    public boolean has(String name) {
        return find(name).isPresent();
    }

    /** The value as stored: the secret itself or its vault reference. */
    public Optional<String> stored(String name) {
        return find(name).map(component -> component.get(StoredSecretFactory.VALUE));
    }

    /** Creates or replaces the secret; {@code value} may be a vault reference. */
    public void put(String name, String value) {
        List<ComponentModel> existing = all(name);
        if (existing.isEmpty()) {
            ComponentModel component = new ComponentModel();
            component.setName(name);
            component.setProviderType(PROVIDER_TYPE);
            component.setProviderId(StoredSecretFactory.PROVIDER_ID);
            component.setParentId(realm.getId());
            component.setConfig(new MultivaluedHashMap<>());
            component.put(StoredSecretFactory.VALUE, value);
            realm.addComponentModel(component);
            return;
        }
        // Two nodes moving one legacy secret at once may have made two; keep one.
        existing.stream().skip(1).forEach(realm::removeComponent);
        ComponentModel component = existing.get(0);
        if (!value.equals(component.get(StoredSecretFactory.VALUE))) {
            component.put(StoredSecretFactory.VALUE, value);
            realm.updateComponent(component);
        }
    }

    public void remove(String name) {
        all(name).forEach(realm::removeComponent);
    }

    /** The value a secret about to be stored stands for: itself, or what its vault reference holds now. */
    public Optional<String> resolveValue(String value) {
        return value == null ? Optional.empty() : session.vault().getStringSecret(value).get();
    }

    public static boolean isVaultReference(String value) {
        return value != null && VAULT_REFERENCE.matcher(value).matches();
    }

    private Optional<ComponentModel> find(String name) {
        return realm.getComponentsStream(realm.getId(), PROVIDER_TYPE)
                .filter(component -> name.equals(component.getName()))
                .findFirst();
    }

    private List<ComponentModel> all(String name) {
        return realm.getComponentsStream(realm.getId(), PROVIDER_TYPE)
                .filter(component -> name.equals(component.getName()))
                .toList();
    }
}
