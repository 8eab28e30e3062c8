package io.github.appusers.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.keycloak.models.RealmModel;

class AppUsersMetricsTest {

    private static RealmModel realm(String name) {
        return (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(), new Class<?>[] {RealmModel.class},
                (proxy, method, args) -> "getName".equals(method.getName()) ? name : null);
    }

    @Test
    void withoutARegistryBehindTheGlobalOneCountingDoesNothingAndNeverFails() {
        // As in Keycloak with metrics disabled: the global registry has no backing registry.
        assertDoesNotThrow(() -> {
            AppUsersMetrics.signIn(realm("r"), "anon-user", AppUsersMetrics.SUCCESS);
            AppUsersMetrics.functionCall(null, null, null);
            AppUsersMetrics.email(realm("r"), "reset", "failed");
            AppUsersMetrics.rateLimited(realm("r"), "anonymous_sign_up");
            AppUsersMetrics.purged(null, 3);
        });
    }

    @Test
    void countersCarryRealmAndBoundedTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        try {
            AppUsersMetrics.signIn(realm("shop"), "custom-token", AppUsersMetrics.SUCCESS);
            AppUsersMetrics.signIn(realm("shop"), "custom-token", AppUsersMetrics.SUCCESS);
            AppUsersMetrics.signIn(realm("shop"), null, "rate_limited");
            AppUsersMetrics.purged("shop", 5);
            AppUsersMetrics.purged("shop", 0);

            assertEquals(2, registry.get("keycloak.app.users.sign.ins")
                    .tags("realm", "shop", "provider_type", "custom-token", "outcome", "success").counter().count());
            assertEquals(1, registry.get("keycloak.app.users.sign.ins")
                    .tags("realm", "shop", "provider_type", "unknown", "outcome", "rate_limited").counter().count());
            assertEquals(5, registry.get("keycloak.app.users.purged.users").tags("realm", "shop").counter().count());
        } finally {
            Metrics.removeRegistry(registry);
        }
    }
}
