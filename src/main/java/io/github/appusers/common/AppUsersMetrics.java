package io.github.appusers.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import org.keycloak.models.RealmModel;

/**
 * Counters of our flows, in Micrometer's global registry, where Keycloak 26 registers its own
 * user-event metrics too. With {@code --metrics-enabled=true} Quarkus backs that registry with
 * Prometheus and {@code /metrics} on the management port shows them (names gain {@code _total});
 * with metrics disabled the global registry has no backing registry and increments do nothing.
 *
 * <p>Tags stay bounded: realm name, provider type, function kind, email kind, limit name and an
 * outcome that is {@code success} or one of our fixed error codes; never user ids or names.
 */
public final class AppUsersMetrics {

    public static final String SUCCESS = "success";

    private static final Meter.MeterProvider<Counter> SIGN_INS = Counter.builder("keycloak.app.users.sign.ins")
            .description("Sign-ins through app-users flows, by provider type and outcome")
            .withRegistry(Metrics.globalRegistry);
    private static final Meter.MeterProvider<Counter> FUNCTION_CALLS = Counter.builder("keycloak.app.users.function.calls")
            .description("Calls of realm functions, by function kind and outcome")
            .withRegistry(Metrics.globalRegistry);
    private static final Meter.MeterProvider<Counter> EMAILS = Counter.builder("keycloak.app.users.emails")
            .description("Emails of the email/password flows, by kind and outcome")
            .withRegistry(Metrics.globalRegistry);
    private static final Meter.MeterProvider<Counter> RATE_LIMITED = Counter.builder("keycloak.app.users.rate.limited")
            .description("Requests refused by a rate limit or email cooldown, by limit")
            .withRegistry(Metrics.globalRegistry);
    private static final Meter.MeterProvider<Counter> PURGED = Counter.builder("keycloak.app.users.purged.users")
            .description("Inactive anonymous users deleted by the purge")
            .withRegistry(Metrics.globalRegistry);

    private AppUsersMetrics() {
    }

    /** One sign-in attempt; {@code outcome} is {@link #SUCCESS} or the event's error code. */
    public static void signIn(RealmModel realm, String providerType, String outcome) {
        SIGN_INS.withTags(Tags.of("realm", name(realm), "provider_type", orUnknown(providerType),
                "outcome", orUnknown(outcome))).increment();
    }

    /** One function call; {@code kind} is login, confirmation, reset or call. */
    public static void functionCall(RealmModel realm, String kind, String outcome) {
        FUNCTION_CALLS.withTags(Tags.of("realm", name(realm), "kind", orUnknown(kind), "outcome", orUnknown(outcome)))
                .increment();
    }

    /** One email handed to the realm's SMTP server ({@code outcome} success) or refused by it (failed). */
    public static void email(RealmModel realm, String kind, String outcome) {
        EMAILS.withTags(Tags.of("realm", name(realm), "kind", orUnknown(kind), "outcome", orUnknown(outcome)))
                .increment();
    }

    /** One request refused by the limit named {@code limit}. */
    public static void rateLimited(RealmModel realm, String limit) {
        RATE_LIMITED.withTags(Tags.of("realm", name(realm), "limit", orUnknown(limit))).increment();
    }

    /** Anonymous users of the realm named {@code realmName} that the purge deleted. */
    public static void purged(String realmName, int users) {
        if (users > 0) {
            PURGED.withTags(Tags.of("realm", realmName == null ? "" : realmName)).increment(users);
        }
    }

    private static String name(RealmModel realm) {
        return realm == null ? "" : realm.getName();
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? "unknown" : value;
    }
}
