package io.github.appusers.common;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
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

    /**
     * Names that are Keycloak's, never plain attributes for our paths to write: the user's own
     * fields (which Keycloak's user adapter would set through a plain attribute write, skipping
     * every check) and the attributes Keycloak's user profile always keeps read-only (those of
     * user federation, timestamps, certificates, SAML name ids, pending email).
     */
    public static boolean keycloakOwned(String name) {
        return name != null && (KEYCLOAK_FIELDS.contains(name.toLowerCase(Locale.ROOT))
                || KEYCLOAK_READ_ONLY.matcher(name).matches());
    }

    private static final Set<String> KEYCLOAK_FIELDS = Set.of("username", "email", "firstname", "lastname",
            "emailverified", "enabled", "createdtimestamp", "federationlink", "serviceaccountclientlink", "id");
    /** As Keycloak 26.7's DeclarativeUserProfileProviderFactory lists them (case-insensitive there too). */
    private static final Pattern KEYCLOAK_READ_ONLY = Pattern.compile("(?i)(KERBEROS_PRINCIPAL|LDAP_ID|LDAP_ENTRY_DN|"
            + "CREATED_TIMESTAMP|createTimestamp|modifyTimestamp|userCertificate|saml\\.persistent\\.name\\.id\\.for\\..*|"
            + "ENABLED|EMAIL_VERIFIED|disabledReason|" + Pattern.quote(UserModel.EMAIL_PENDING) + ")");

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
