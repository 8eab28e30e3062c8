package io.github.appusers.anonymous;

import io.github.appusers.common.AppUsersMetrics;
import io.github.appusers.common.ClientAddress;
import io.github.appusers.common.RateLimiter;
import io.github.appusers.identity.IdentityStore;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.AppUsersSettings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/** Creates anonymous users, for the token grant and the browser alike. */
public final class AnonymousSignup {

    private static final int WINDOW_SECONDS = 3600;

    private final KeycloakSession session;
    private final RealmModel realm;
    private long retryAfterSeconds;

    public AnonymousSignup(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /**
     * Counts one sign-up for the request's client address (see {@link ClientAddress}), cluster-wide;
     * false when the limit of the last hour is reached.
     */
    public boolean withinRateLimit(AppUsersSettings.Anonymous settings) {
        RateLimiter.Decision decision = new RateLimiter(session).acquire(
                "anon." + realm.getId() + "." + ClientAddress.limitKey(session), settings.maxPerIpPerHour, WINDOW_SECONDS);
        if (!decision.allowed()) {
            retryAfterSeconds = decision.retryAfterSeconds();
            AppUsersMetrics.rateLimited(realm, "anonymous_sign_up");
        }
        return decision.allowed();
    }

    /** A guest must never start with admin roles; the realm's defaults could give it some. */
    public boolean defaultsGrantAdminRole() {
        return AnonymousAdminRoles.defaultsGrantAdminRole(realm);
    }

    /** After a refused {@link #withinRateLimit}: seconds until the next sign-up would pass. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * A new enabled user with a random username and its {@code anon-user} identity. The user id
     * is Keycloak's own and never changes, so linking can later upgrade the same user.
     */
    public UserModel create() {
        String anonymousId = KeycloakModelUtils.generateId();
        UserModel user = session.users().addUser(realm, "anon-" + anonymousId);
        user.setEnabled(true);
        try {
            new IdentityStore(session).addToNewUser(realm, user, ProviderTypes.ANONYMOUS, anonymousId,
                    System.currentTimeMillis());
        } catch (IdentityStore.IdentityInUseException e) {
            // A fresh random id cannot be taken; if it is, the database is not what we think.
            throw new IllegalStateException("a new anonymous identity id was already in use", e);
        }
        return user;
    }
}
