package io.github.appusers.common;

import java.util.Set;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPAttributePermissions;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.keycloak.userprofile.UserProfileConstants;
import org.keycloak.userprofile.UserProfileProvider;

/**
 * What a realm's user profile says about attribute names: which it declares, and which of those
 * users may edit ({@code permissions.edit} holds {@code user}). Data that users or their external
 * systems supply (custom data, login function answers, external JWT claims) must not reach an
 * attribute the profile keeps from users, such as one an admin uses for roles or billing.
 * The profile is read once, on the first question.
 */
public final class UserProfileAttributes {

    private final KeycloakSession session;
    private final RealmModel realm;
    private UPConfig config;

    public UserProfileAttributes(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** Whether the user profile declares the attribute. */
    public boolean declares(String name) {
        return attribute(name) != null;
    }

    /** Declared, and users may edit it. */
    public boolean userEditable(String name) {
        UPAttribute attribute = attribute(name);
        if (attribute == null) {
            return false;
        }
        UPAttributePermissions permissions = attribute.getPermissions();
        // Keycloak lets nobody but admins write an attribute without permissions.
        Set<String> edit = permissions == null ? null : permissions.getEdit();
        return edit != null && edit.contains(UserProfileConstants.ROLE_USER);
    }

    /** Declared, and users may not edit it: our paths leave it alone. Undeclared names are not read-only. */
    public boolean readOnlyForUsers(String name) {
        return declares(name) && !userEditable(name);
    }

    private UPAttribute attribute(String name) {
        if (config == null) {
            config = load();
        }
        return config.getAttribute(name);
    }

    /** Keycloak's provider reads the profile of the context's realm; a caller of another realm's context borrows ours. */
    private UPConfig load() {
        RealmModel contextRealm = session.getContext().getRealm();
        if (contextRealm != null && contextRealm.getId().equals(realm.getId())) {
            return session.getProvider(UserProfileProvider.class).getConfiguration();
        }
        try {
            session.getContext().setRealm(realm);
            return session.getProvider(UserProfileProvider.class).getConfiguration();
        } finally {
            session.getContext().setRealm(contextRealm);
        }
    }
}
