package io.github.appusers.linking;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.BearerUser;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.core.Response;
import org.keycloak.common.util.Time;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;

/** Sensitive calls need a fresh login: the token's auth_time within the realm's recent_login_seconds. */
final class RecentLogin {

    private RecentLogin() {
    }

    static void require(BearerUser caller, RealmModel realm) {
        Long authTime = authTime(caller);
        int limit = SettingsStore.read(realm).recentLoginSeconds;
        if (authTime == null || Time.currentTime() - authTime > limit) {
            throw new AppUsersError(Response.Status.UNAUTHORIZED, ErrorCodes.REQUIRES_RECENT_LOGIN,
                    "This needs a login within the last " + limit + " seconds; log in again");
        }
    }

    /**
     * The token's auth_time, or else the start of its user session: Keycloak 26's password grant
     * issues tokens without auth_time, and its session starts when the password was checked.
     */
    private static Long authTime(BearerUser caller) {
        Long authTime = caller.token().getAuth_time();
        if (authTime != null) {
            return authTime;
        }
        UserSessionModel session = caller.authResult().session();
        return session == null ? null : (long) session.getStarted();
    }
}
