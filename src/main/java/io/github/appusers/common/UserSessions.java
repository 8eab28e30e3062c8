package io.github.appusers.common;

import java.util.List;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;

/** Ends all of a user's sessions, online and offline, so its refresh tokens stop working at once. */
public final class UserSessions {

    private UserSessions() {
    }

    /** Returns how many sessions (online and offline) were ended. */
    public static int endAll(KeycloakSession session, RealmModel realm, UserModel user) {
        List<UserSessionModel> online = session.sessions().getUserSessionsStream(realm, user).toList();
        online.forEach(userSession -> session.sessions().removeUserSession(realm, userSession));
        List<UserSessionModel> offline = session.sessions().getOfflineUserSessionsStream(realm, user).toList();
        offline.forEach(userSession -> session.sessions().removeOfflineUserSession(realm, userSession));
        return online.size() + offline.size();
    }
}
