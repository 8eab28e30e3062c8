package io.github.appusers.functions;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.MetricsScrape;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code custom_function.max_logins_per_ip_per_minute}: login attempts through a login function
 * are counted per client address in a sliding minute before the function is called, for the
 * custom-function grant and for linking a custom-function identity alike.
 */
class FunctionLoginRateLimitIT extends IntegrationTest {

    private static final String SECRET = "rate-limit-function-secret";
    /** Headers a client could forge to pose as another address; the test server trusts none of them. */
    private static final Map<String, String> FORGED = Map.of("X-Forwarded-For", "203.0.113.77",
            "Forwarded", "for=203.0.113.78", "X-Real-IP", "203.0.113.79");

    private static FunctionServer functions;

    @BeforeAll
    static void setUp() throws Exception {
        functions = new FunctionServer(SECRET).on("/login", body -> Answer.json(map("id", body.at("/payload/id").asText())));
    }

    @AfterAll
    static void tearDown() {
        functions.close();
    }

    private static TestRealm realm(String prefix, int limit) {
        TestRealm realm = TestRealm.create(prefix, map(
                "custom_function", map("enabled", true, "max_logins_per_ip_per_minute", limit),
                "anonymous", map("enabled", true, "max_per_ip_per_hour", 0)));
        expect(realm.admin().put(realm.adminPath("/app-users/functions/login"), map("kind", "login",
                "url", functions.url("/login"), "secret", SECRET)), 200);
        return realm;
    }

    private static ApiResponse login(TestRealm realm, String id, Map<String, String> headers) {
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", CustomFunctionLoginIT.GRANT,
                "client_id", TestRealm.APP_CLIENT, "function", "login", "payload", "{\"id\": \"" + id + "\"}"), headers);
    }

    private static int calls() {
        return functions.calls("/login").size();
    }

    private static long secondsSince(long start) {
        return Instant.now().getEpochSecond() - start;
    }

    /** Retry-After of a refusal: when the first of the counted attempts (made at {@code start} or later) leaves the minute. */
    private static void assertRetryAfterOfTheFirstAttempt(ApiResponse refused, long start) {
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        long elapsed = secondsSince(start);
        assertTrue(retryAfter <= 60 && retryAfter >= 60 - elapsed - 1,
                "Retry-After " + retryAfter + " with the first attempt " + elapsed + " s ago");
    }

    private static double metric(TestRealm realm, String name, String... labels) {
        List<String> all = new ArrayList<>(List.of("realm", realm.name()));
        all.addAll(List.of(labels));
        return MetricsScrape.scrape(server()).sum(name, all.toArray(String[]::new));
    }

    private static JsonNode newestEvent(TestRealm realm, String type) {
        JsonNode events = expect(realm.admin().get(realm.adminPath("/events?max=20&type=" + type)), 200).json();
        if (events.isEmpty()) {
            fail("no " + type + " event in realm " + realm.name());
        }
        return events.get(0);
    }

    @Test
    void loginsFromOneAddressAreLimitedPerMinuteAndTheFunctionIsNotCalledPastTheLimit() {
        TestRealm realm = realm("fn-rate", 3);
        int callsBefore = calls();
        long start = Instant.now().getEpochSecond();
        for (int i = 0; i < 3; i++) {
            expect(login(realm, "rate-user-" + i, Map.of()), 200);
        }
        ApiResponse refused = login(realm, "rate-user-3", Map.of());
        long elapsed = secondsSince(start);
        assertEquals(429, refused.status(), refused + " (" + elapsed + " s after the first login)");
        assertEquals("rate_limited", refused.error());
        assertTrue(refused.json().path("error_description").isTextual());
        assertRetryAfterOfTheFirstAttempt(refused, start);
        // Forwarding headers do not make the client someone else: same address, same count.
        ApiResponse forged = login(realm, "rate-user-4", FORGED);
        assertEquals(429, forged.status(), forged.toString());
        assertEquals(callsBefore + 3, calls(), "the function is not called past the limit");

        // Each refusal is a LOGIN_ERROR event and counted by the metrics.
        JsonNode event = newestEvent(realm, "LOGIN_ERROR");
        assertEquals("rate_limited", event.get("error").asText());
        assertEquals("custom-function", event.at("/details/app_users_flow").asText());
        assertEquals("login", event.at("/details/function").asText());
        assertEquals(2, metric(realm, "keycloak_app_users_rate_limited_total", "limit", "custom_function_login"));
        assertEquals(2, metric(realm, "keycloak_app_users_sign_ins_total", "provider_type", "custom-function",
                "outcome", "rate_limited"));
        assertEquals(3, metric(realm, "keycloak_app_users_sign_ins_total", "provider_type", "custom-function",
                "outcome", "success"));

        // The count is per realm: the same address logs in elsewhere.
        expect(login(realm("fn-rate-other", 3), "rate-user-elsewhere", Map.of()), 200);
    }

    @Test
    void linkingACustomFunctionIdentityCountsAsALoginAttempt() {
        TestRealm realm = realm("fn-rate-link", 2);
        JsonNode guest = expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT)), 200).json();
        String token = guest.get("access_token").asText();
        int callsBefore = calls();
        long start = Instant.now().getEpochSecond();
        expect(login(realm, "link-rate-a", Map.of()), 200);
        expect(login(realm, "link-rate-b", Map.of()), 200);

        ApiResponse refused = realm.api().postJson(realm.path("/app-users/me/identities"), token,
                map("type", "custom-function", "function", "login", "payload", map("id", "link-rate-c")));
        assertEquals(429, refused.status(), refused + " (" + secondsSince(start) + " s after the first login)");
        assertEquals("rate_limited", refused.error());
        assertRetryAfterOfTheFirstAttempt(refused, start);
        assertEquals(callsBefore + 2, calls(), "the function is not called past the limit");
        assertEquals(1, expect(realm.api().get(realm.path("/app-users/me/identities"), token), 200).json().size(),
                "the guest has only its anonymous identity");
        assertEquals("rate_limited", newestEvent(realm, "FEDERATED_IDENTITY_LINK_ERROR").get("error").asText());
        assertEquals(1, metric(realm, "keycloak_app_users_rate_limited_total", "limit", "custom_function_login"));

        // And the other way round: a link counts, so the next login is refused.
        TestRealm linkFirst = realm("fn-rate-link-first", 1);
        JsonNode other = expect(linkFirst.api().postForm(linkFirst.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT)), 200).json();
        expect(linkFirst.api().postJson(linkFirst.path("/app-users/me/identities"), other.get("access_token").asText(),
                map("type", "custom-function", "function", "login", "payload", map("id", "link-first"))), 201);
        assertEquals(429, login(linkFirst, "login-after-link", Map.of()).status());
    }

    @Test
    void requestsRefusedBeforeTheFunctionDoNotCount() {
        TestRealm realm = realm("fn-rate-bad", 1);
        for (int i = 0; i < 3; i++) {
            ApiResponse bad = realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                    CustomFunctionLoginIT.GRANT, "client_id", TestRealm.APP_CLIENT, "function", "login",
                    "payload", "not json"));
            assertEquals("invalid_payload", bad.error(), bad.toString());
        }
        expect(login(realm, "after-bad-requests", Map.of()), 200);
    }
}
