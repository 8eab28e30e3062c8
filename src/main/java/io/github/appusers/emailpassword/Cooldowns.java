package io.github.appusers.emailpassword;

import java.util.Locale;

import io.github.appusers.common.AppUsersMetrics;
import io.github.appusers.common.ClientAddress;
import io.github.appusers.common.RateLimiter;
import io.github.appusers.common.Sha256;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Cluster-wide limits on email traffic: one email per address per cooldown, and a number of
 * requests per client address per hour. Keys hold a hash of the address, never the address.
 * The same limits apply whether or not the address is registered, so they reveal nothing.
 */
final class Cooldowns {

    private final KeycloakSession session;
    private final RealmModel realm;

    Cooldowns(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** True when an email to this address may go now (and starts its cooldown). */
    boolean tryEmail(String email, int cooldownSeconds) {
        if (email == null || cooldownSeconds <= 0) {
            return true;
        }
        boolean allowed = session.singleUseObjects().putIfAbsent("app-users.cooldown." + realm.getId() + "."
                + Sha256.hex(email.toLowerCase(Locale.ROOT)), cooldownSeconds);
        if (!allowed) {
            AppUsersMetrics.rateLimited(realm, "email_cooldown");
        }
        return allowed;
    }

    /**
     * Counts one request of this kind from the request's client address (see {@link ClientAddress});
     * refused past the limit of the last hour.
     */
    RateLimiter.Decision tryClient(String kind, int perHour) {
        RateLimiter.Decision decision = new RateLimiter(session).acquire(
                "email." + kind + "." + realm.getId() + "." + ClientAddress.limitKey(session), perHour, 3600);
        if (!decision.allowed()) {
            AppUsersMetrics.rateLimited(realm, "email_" + kind + "_per_ip");
        }
        return decision;
    }
}
