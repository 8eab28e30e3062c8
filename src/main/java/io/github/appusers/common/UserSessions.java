package io.github.appusers.common;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** Ends all of a user's sessions, online and offline, so its refresh tokens stop working at once. */
public final class UserSessions {

    private UserSessions() {
    }

    public static void endAll(KeycloakSession session, RealmModel realm, UserModel user) {
        session.sessions().getUserSessionsStream(realm, user).toList()
                .forEach(userSession -> session.sessions().removeUserSession(realm, userSession));
        session.sessions().getOfflineUserSessionsStream(realm, user).toList()
                .forEach(userSession -> session.sessions().removeOfflineUserSession(realm, userSession));
    }
}
