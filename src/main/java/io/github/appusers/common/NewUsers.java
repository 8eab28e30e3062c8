package io.github.appusers.common;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

/**
 * Users created in the current request, with the one identity they were created with. The
 * tokens of a brand-new user are built in the same request, and our claims would otherwise ask
 * the database for identities, links and custom data that cannot exist yet. Any change to the
 * user's identities or custom data in the same request forgets the fact.
 */
public final class NewUsers {

    private static final String PREFIX = "app-users.new-user.";

    private NewUsers() {
    }

    public static void remember(KeycloakSession session, UserModel user, String identityType) {
        session.setAttribute(PREFIX + user.getId(), identityType);
    }

    /** The identity type the user was created with in this request, or null when not new (or changed since). */
    public static String onlyIdentityType(KeycloakSession session, UserModel user) {
        return session.getAttribute(PREFIX + user.getId(), String.class);
    }

    public static void forget(KeycloakSession session, String userId) {
        session.removeAttribute(PREFIX + userId);
    }
}
