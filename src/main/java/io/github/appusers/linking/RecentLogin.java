package io.github.appusers.linking;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.BearerUser;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.core.Response;
import org.keycloak.common.util.Time;
import org.keycloak.models.RealmModel;

/** Sensitive calls need a fresh login: the token's auth_time within the realm's recent_login_seconds. */
final class RecentLogin {

    private RecentLogin() {
    }

    static void require(BearerUser caller, RealmModel realm) {
        Long authTime = caller.token().getAuth_time();
        int limit = SettingsStore.read(realm).recentLoginSeconds;
        if (authTime == null || Time.currentTime() - authTime > limit) {
            throw new AppUsersError(Response.Status.UNAUTHORIZED, ErrorCodes.REQUIRES_RECENT_LOGIN,
                    "This needs a login within the last " + limit + " seconds; log in again");
        }
    }
}
