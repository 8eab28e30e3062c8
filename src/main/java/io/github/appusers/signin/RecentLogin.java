package io.github.appusers.signin;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.BearerUser;
import io.github.appusers.common.ErrorCodes;
import jakarta.ws.rs.core.Response;
import org.keycloak.common.util.Time;
import org.keycloak.models.UserSessionModel;

/**
 * Sensitive calls (linking, unlinking, deleting the account, creating API keys) need a fresh
 * login: the token's auth_time within the realm's {@code recent_login_seconds}. A session that an
 * API key started never counts, so a leaked key cannot mint more keys or change identities.
 */
public final class RecentLogin {

    /** User session note of sessions that must never count as a recent login (API-key logins). */
    public static final String NEVER_RECENT_NOTE = "app-users.never-recent";

    private RecentLogin() {
    }

    public static void require(BearerUser caller, int limitSeconds) {
        UserSessionModel session = caller.authResult().session();
        if (session != null && "true".equals(session.getNote(NEVER_RECENT_NOTE))) {
            throw new AppUsersError(Response.Status.UNAUTHORIZED, ErrorCodes.REQUIRES_RECENT_LOGIN,
                    "A session started with an API key is never a recent login; log in with another credential");
        }
        Long authTime = authTime(caller);
        if (authTime == null || Time.currentTime() - authTime > limitSeconds) {
            throw new AppUsersError(Response.Status.UNAUTHORIZED, ErrorCodes.REQUIRES_RECENT_LOGIN,
                    "This needs a login within the last " + limitSeconds + " seconds; log in again");
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
