package io.github.appusers.common;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Mailbox;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.Test;

/**
 * The per-address limits on the running server: the address is Keycloak's own (the test server
 * runs without {@code proxy-headers}, so forwarding headers a client sends are not believed), and
 * the hour slides: a refusal says when the first counted request leaves the hour, not when the
 * calendar hour ends. (That an IPv6 client counts by its /64 is shown by ClientAddressTest: over
 * loopback the server only ever sees ::1 and 127.0.0.1.)
 */
class ClientAddressLimitsIT extends IntegrationTest {

    private static ApiResponse signUp(TestRealm realm, Map<String, String> headers) {
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT), headers);
    }

    /** A refusal's Retry-After is one hour after the first counted request, made {@code start} or later. */
    private static void assertRetryAfterIsAnHourAfter(long start, ApiResponse refused) {
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        long elapsed = Instant.now().getEpochSecond() - start;
        assertTrue(retryAfter <= 3600 && retryAfter >= 3600 - elapsed - 1,
                "Retry-After " + retryAfter + " with the first request " + elapsed + " s ago");
    }

    @Test
    void forgedForwardingHeadersDoNotChooseTheBucket() {
        TestRealm realm = TestRealm.create("addr-forged", map("anonymous", map("enabled", true,
                "max_per_ip_per_hour", 2)));
        expect(signUp(realm, Map.of("X-Forwarded-For", "203.0.113.1")), 200);
        expect(signUp(realm, Map.of("Forwarded", "for=\"[2001:db8:aaaa::1]\"", "X-Real-IP", "203.0.113.2")), 200);
        for (Map<String, String> forged : List.of(Map.of("X-Forwarded-For", "203.0.113.3"),
                Map.of("Forwarded", "for=203.0.113.4"), Map.of("X-Real-IP", "198.51.100.5"),
                Map.of("X-Forwarded-For", "2001:db8:bbbb::1, 203.0.113.6"))) {
            ApiResponse refused = signUp(realm, forged);
            assertEquals(429, refused.status(), forged + ": " + refused);
            assertEquals("rate_limited", refused.error());
        }
    }

    @Test
    void anonymousSignUpsSlideOverTheHour() {
        TestRealm realm = TestRealm.create("addr-slide", map("anonymous", map("enabled", true,
                "max_per_ip_per_hour", 2)));
        long start = Instant.now().getEpochSecond();
        expect(signUp(realm, Map.of()), 200);
        expect(signUp(realm, Map.of()), 200);
        ApiResponse refused = signUp(realm, Map.of());
        assertEquals(429, refused.status(), refused.toString());
        // A fixed window would say "at the top of the hour", whenever in the hour the test runs.
        assertRetryAfterIsAnHourAfter(start, refused);
    }

    @Test
    void emailRequestQuotasSlideOverTheHourAndSayWhenToRetry() {
        TestRealm realm = TestRealm.create("addr-email", map("email_password", map("enabled", true,
                "confirmation", "auto", "max_requests_per_ip_per_hour", 2)));
        realm.relaxUserProfile();
        String base = realm.path("/app-users/email-password/register");
        long start = Instant.now().getEpochSecond();
        for (int i = 0; i < 2; i++) {
            expect(realm.api().postJson(base, null, map("email", "quota-" + i + "-" + System.nanoTime() + "@example.test",
                    "password", "quota-password")), 202);
        }
        ApiResponse refused = realm.api().send("POST", base, null, "application/json",
                Api.toJson(map("email", "quota-x-" + System.nanoTime() + "@example.test", "password", "quota-password")),
                Map.of("X-Forwarded-For", "203.0.113.9"));
        assertEquals(429, refused.status(), refused.toString());
        assertEquals("rate_limited", refused.error());
        assertRetryAfterIsAnHourAfter(start, refused);
    }

    private static ApiResponse linkAsNewGuest(TestRealm realm, String email) {
        String guest = expect(signUp(realm, Map.of()), 200).json().get("access_token").asText();
        return realm.api().postJson(realm.path("/app-users/me/identities"), guest,
                map("type", "email-password", "email", email, "password", "link-quota-password"));
    }

    @Test
    void linkAttemptsCountLikeRegistrationsAndMailAnAddressOncePerCooldown() throws Exception {
        try (Mailbox mailbox = new Mailbox()) {
            TestRealm realm = TestRealm.create("addr-link", map("anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                    "email_password", map("enabled", true, "confirmation", "email", "max_requests_per_ip_per_hour", 3,
                            "resend_cooldown_seconds", 3600)), map("smtpServer", mailbox.smtpSettings()));
            realm.relaxUserProfile();
            String victim = "link-victim-" + System.nanoTime() + "@example.test";
            long start = Instant.now().getEpochSecond();
            assertEquals(202, linkAsNewGuest(realm, victim).status());
            assertEquals(1, mailbox.await(victim, 1).size());
            // Another guest (the same one would do too) cannot mail the address again within the cooldown.
            ApiResponse again = linkAsNewGuest(realm, victim);
            assertEquals(429, again.status(), again.toString());
            assertEquals("rate_limited", again.error());
            // Each attempt counted against the client address's hourly quota (3 here), refused ones too.
            assertEquals(202, linkAsNewGuest(realm, "link-other-" + System.nanoTime() + "@example.test").status());
            ApiResponse overQuota = linkAsNewGuest(realm, "link-third-" + System.nanoTime() + "@example.test");
            assertEquals(429, overQuota.status(), overQuota.toString());
            assertRetryAfterIsAnHourAfter(start, overQuota);
            assertEquals(1, mailbox.to(victim).size(), "the address got one email");
        }
    }
}
