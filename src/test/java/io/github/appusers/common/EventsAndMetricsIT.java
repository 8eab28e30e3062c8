package io.github.appusers.common;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.Eventually;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Mailbox;
import io.github.appusers.testsupport.MetricsScrape;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our flows leave Keycloak user events with our details (read back through the admin events API)
 * and move our counters at {@code /metrics} (the test server is built with metrics enabled).
 */
class EventsAndMetricsIT extends IntegrationTest {

    private static final String SECRET = "events-and-metrics-secret";
    private static final String SIGN_INS = "keycloak_app_users_sign_ins_total";
    private static final String FUNCTION_CALLS = "keycloak_app_users_function_calls_total";
    private static final String EMAILS = "keycloak_app_users_emails_total";
    private static final String RATE_LIMITED = "keycloak_app_users_rate_limited_total";
    private static final String PURGED = "keycloak_app_users_purged_users_total";

    private static FunctionServer functions;
    private static Mailbox mailbox;

    @BeforeAll
    static void setUp() throws Exception {
        functions = new FunctionServer(SECRET)
                .on("/login", body -> body.at("/payload/id").isTextual()
                        ? Answer.json(map("id", body.at("/payload/id").asText()))
                        : Answer.json(map("error", "who are you?")))
                .on("/call", body -> Answer.json(map("ok", true)))
                .on("/broken", body -> new Answer(500, "oops", Map.of()));
        mailbox = new Mailbox();
    }

    @AfterAll
    static void tearDown() {
        functions.close();
        mailbox.close();
    }

    private static TestRealm realm(String prefix, Map<String, Object> settings) {
        TestRealm realm = TestRealm.create(prefix, settings, map("smtpServer", mailbox.smtpSettings()));
        // Store every type we assert on, success and error, whatever Keycloak stores by default.
        List<String> types = new ArrayList<>();
        for (String type : List.of("LOGIN", "REGISTER", "SEND_VERIFY_EMAIL", "FEDERATED_IDENTITY_LINK",
                "REMOVE_FEDERATED_IDENTITY", "UPDATE_PROFILE", "UPDATE_CREDENTIAL", "REMOVE_CREDENTIAL",
                "CUSTOM_REQUIRED_ACTION", "DELETE_ACCOUNT")) {
            types.add(type);
            types.add(type + "_ERROR");
        }
        expect(realm.admin().put(realm.adminPath("/events/config"),
                map("eventsEnabled", true, "enabledEventTypes", types)), 204);
        return realm;
    }

    private static void putFunction(TestRealm realm, String name, String kind, String path) {
        expect(realm.admin().put(realm.adminPath("/app-users/functions/" + name),
                map("kind", kind, "url", functions.url(path), "secret", SECRET, "timeout_ms", 3000)), 200);
    }

    private static ApiResponse grant(TestRealm realm, String grant, String... params) {
        List<String> form = new ArrayList<>(List.of("grant_type", "urn:app-users:grant-type:" + grant,
                "client_id", TestRealm.APP_CLIENT));
        form.addAll(List.of(params));
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form(form.toArray(String[]::new)));
    }

    /** The realm's stored user events of {@code type}, newest first. */
    private static List<JsonNode> events(TestRealm realm, String type) {
        List<JsonNode> events = new ArrayList<>();
        expect(realm.admin().get(realm.adminPath("/events?max=200&type=" + type)), 200).json().forEach(events::add);
        return events;
    }

    /** The one event of {@code type} whose details include {@code app_users_flow = flow}; fails otherwise. */
    private static JsonNode event(TestRealm realm, String type, String flow, Predicate<JsonNode> more) {
        List<JsonNode> found = events(realm, type).stream()
                .filter(e -> flow.equals(e.at("/details/app_users_flow").asText()))
                .filter(more)
                .toList();
        if (found.isEmpty()) {
            fail("no " + type + " event of flow " + flow + " in " + events(realm, type));
        }
        return found.get(0);
    }

    private static double metric(String name, TestRealm realm, String... labels) {
        String[] all = new String[labels.length + 2];
        all[0] = "realm";
        all[1] = realm.name();
        System.arraycopy(labels, 0, all, 2, labels.length);
        return MetricsScrape.scrape(server()).sum(name, all);
    }

    @Test
    void anonymousSignInsAndTheirRateLimitAreCountedAndRecorded() {
        TestRealm realm = realm("obs-anon", map("anonymous", map("enabled", true, "max_per_ip_per_hour", 2)));
        String token = expect(grant(realm, "anonymous"), 200).json().get("access_token").asText();
        expect(grant(realm, "anonymous"), 200);
        ApiResponse refused = grant(realm, "anonymous");
        assertEquals(429, refused.status());

        assertEquals(2, metric(SIGN_INS, realm, "provider_type", "anon-user", "outcome", "success"));
        assertEquals(1, metric(SIGN_INS, realm, "provider_type", "anon-user", "outcome", "rate_limited"));
        assertEquals(1, metric(RATE_LIMITED, realm, "limit", "anonymous_sign_up"));

        JsonNode login = event(realm, "LOGIN", "anonymous", e -> true);
        assertEquals("anon-user", login.at("/details/provider_type").asText());
        JsonNode error = event(realm, "LOGIN_ERROR", "anonymous", e -> true);
        assertEquals("rate_limited", error.get("error").asText());

        // The purge: every guest idle since now goes, each with an event, all of them counted.
        assertEquals(2, expect(realm.admin().post(realm.adminPath("/app-users/anonymous/purge?inactive_seconds=0"),
                null), 200).json().get("deleted").asInt());
        assertEquals(2, metric(PURGED, realm));
        assertEquals(2, events(realm, "DELETE_ACCOUNT").stream()
                .filter(e -> "anonymous-purge".equals(e.at("/details/app_users_flow").asText())).count());
        assertEquals(401, realm.api().get(realm.path("/app-users/me"), token).status());
    }

    @Test
    void functionLoginsAndCallsAreCountedByKindAndOutcome() {
        TestRealm realm = realm("obs-fn", map("custom_function", map("enabled", true),
                "anonymous", map("enabled", true, "max_per_ip_per_hour", 0)));
        putFunction(realm, "login", "login", "/login");
        putFunction(realm, "call", "call", "/call");
        putFunction(realm, "broken", "call", "/broken");

        String token = expect(grant(realm, "custom-function", "function", "login", "payload", "{\"id\":\"u1\"}"), 200)
                .json().get("access_token").asText();
        assertEquals(401, grant(realm, "custom-function", "function", "login", "payload", "{}").status());
        expect(realm.api().postJson(realm.path("/app-users/functions/call"), token, map("a", 1)), 200);
        assertEquals(502, realm.api().postJson(realm.path("/app-users/functions/broken"), token, map()).status());
        assertEquals(404, realm.api().postJson(realm.path("/app-users/functions/nope"), token, map()).status());

        assertEquals(1, metric(SIGN_INS, realm, "provider_type", "custom-function", "outcome", "success"));
        assertEquals(1, metric(SIGN_INS, realm, "provider_type", "custom-function", "outcome",
                "invalid_user_credentials"));
        assertEquals(1, metric(FUNCTION_CALLS, realm, "kind", "login", "outcome", "success"));
        assertEquals(1, metric(FUNCTION_CALLS, realm, "kind", "login", "outcome", "refused"));
        assertEquals(1, metric(FUNCTION_CALLS, realm, "kind", "call", "outcome", "success"));
        assertEquals(1, metric(FUNCTION_CALLS, realm, "kind", "call", "outcome", "function_failed"));

        assertEquals("custom-function", event(realm, "LOGIN", "custom-function", e -> true)
                .at("/details/provider_type").asText());
        assertEquals("invalid_user_credentials", event(realm, "LOGIN_ERROR", "custom-function", e -> true)
                .get("error").asText());
        event(realm, "CUSTOM_REQUIRED_ACTION", "function-call", e -> "call".equals(e.at("/details/function").asText()));
        assertEquals("function_failed", event(realm, "CUSTOM_REQUIRED_ACTION_ERROR", "function-call",
                e -> "broken".equals(e.at("/details/function").asText())).get("error").asText());
        assertEquals("not_found", event(realm, "CUSTOM_REQUIRED_ACTION_ERROR", "function-call",
                e -> "nope".equals(e.at("/details/function").asText())).get("error").asText());

        // Linking: a guest links a function identity (success), then an unknown type (failure).
        String guest = expect(grant(realm, "anonymous"), 200).json().get("access_token").asText();
        expect(realm.api().postJson(realm.path("/app-users/me/identities"), guest,
                map("type", "custom-function", "function", "login", "payload", map("id", "u2"))), 201);
        assertEquals(400, realm.api().postJson(realm.path("/app-users/me/identities"), guest, map("type", "carrier-pigeon"))
                .status());
        assertEquals("custom-function", event(realm, "FEDERATED_IDENTITY_LINK", "link", e -> true)
                .at("/details/provider_type").asText());
        assertEquals("invalid_request", event(realm, "FEDERATED_IDENTITY_LINK_ERROR", "link", e -> true)
                .get("error").asText());
        // Unlinking the last-but-one identity works; a missing one is refused.
        expect(realm.api().delete(realm.path("/app-users/me/identities/custom-function/u2"), guest), 204);
        assertEquals(404, realm.api().delete(realm.path("/app-users/me/identities/custom-function/u2"), guest).status());
        event(realm, "REMOVE_FEDERATED_IDENTITY", "unlink", e -> true);
        assertEquals("not_found", event(realm, "REMOVE_FEDERATED_IDENTITY_ERROR", "unlink", e -> true)
                .get("error").asText());
    }

    @Test
    void emailPasswordEmailsCooldownsAndPasswordSignInsAreCounted() throws Exception {
        TestRealm realm = realm("obs-email", map("email_password", map("enabled", true, "confirmation", "email",
                "resend_cooldown_seconds", 3600))).relaxUserProfile();
        String email = "obs-" + System.nanoTime() + "@example.test";
        String base = realm.path("/app-users/email-password");
        expect(realm.api().postJson(base + "/register", null, map("email", email, "password", "secret-1")), 202);
        mailbox.await(email, 1);
        awaitMetric(EMAILS, realm, 1, "kind", "confirmation", "outcome", "success");
        // A resend starts the address's cooldown; the next one is refused.
        expect(realm.api().postJson(base + "/confirm/resend", null, map("email", email)), 202);
        assertEquals(429, realm.api().postJson(base + "/confirm/resend", null, map("email", email)).status());
        mailbox.await(email, 2);
        awaitMetric(EMAILS, realm, 2, "kind", "confirmation", "outcome", "success");
        assertEquals(1, metric(RATE_LIMITED, realm, "limit", "email_cooldown"));
        assertEquals(400, realm.api().postJson(base + "/register", null, map("email", "x" + email, "password", "short"))
                .status());

        JsonNode register = event(realm, "REGISTER", "email-password", e -> email.equals(e.at("/details/email").asText()));
        assertEquals("local-userpass", register.at("/details/provider_type").asText());
        assertEquals("rate_limited", event(realm, "SEND_VERIFY_EMAIL_ERROR", "email-password", e -> true)
                .get("error").asText());
        assertEquals("invalid_password", event(realm, "REGISTER_ERROR", "email-password", e -> true)
                .get("error").asText());

        // A confirmed account signs in with Keycloak's password grant: counted as local-userpass.
        String confirmed = "confirmed-" + System.nanoTime();
        realm.createUser(confirmed, "secret-2");
        realm.passwordLogin(confirmed, "secret-2");
        assertEquals(1, metric(SIGN_INS, realm, "provider_type", "local-userpass", "outcome", "success"));
    }

    @Test
    void apiKeysCustomDataAndAccountDeletionLeaveEvents() {
        TestRealm realm = realm("obs-keys", map("api_keys", map("enabled", true),
                "anonymous", map("enabled", true, "max_per_ip_per_hour", 0)));
        realm.createUser("keys-user", "secret-3");
        String token = realm.passwordLogin("keys-user", "secret-3").get("access_token").asText();
        JsonNode key = expect(realm.api().postJson(realm.path("/app-users/me/api-keys"), token, map("name", "ci")), 201)
                .json();
        String keyToken = expect(grant(realm, "api-key", "api_key", key.get("key").asText()), 200).json()
                .get("access_token").asText();
        assertEquals(400, grant(realm, "api-key", "api_key", "not-a-key").status());
        // A session an API key started is never a recent login: refused and recorded; a fresh guest may leave.
        assertEquals(401, realm.api().delete(realm.path("/app-users/me"), keyToken).status());
        expect(realm.api().delete(realm.path("/app-users/me/api-keys/" + key.get("id").asText()), token), 204);
        // Users may not write custom data in this realm: refused, and recorded so.
        assertEquals(403, realm.api().putJson(realm.path("/app-users/me/custom-data"), token, map("a", 1)).status());
        String guest = expect(grant(realm, "anonymous"), 200).json().get("access_token").asText();
        expect(realm.api().delete(realm.path("/app-users/me"), guest), 204);

        assertEquals(1, metric(SIGN_INS, realm, "provider_type", "api-key", "outcome", "success"));
        assertEquals(1, metric(SIGN_INS, realm, "provider_type", "api-key", "outcome", "invalid_user_credentials"));
        assertEquals(key.get("id").asText(), event(realm, "UPDATE_CREDENTIAL", "api-key-create", e -> true)
                .at("/details/api_key_id").asText());
        event(realm, "LOGIN", "api-key", e -> key.get("id").asText().equals(e.at("/details/api_key_id").asText()));
        event(realm, "REMOVE_CREDENTIAL", "api-key-delete", e -> true);
        assertEquals("forbidden", event(realm, "UPDATE_PROFILE_ERROR", "custom-data", e -> true).get("error").asText());
        event(realm, "DELETE_ACCOUNT", "delete-me", e -> true);
        assertEquals("requires_recent_login", event(realm, "DELETE_ACCOUNT_ERROR", "delete-me", e -> true)
                .get("error").asText());
    }

    /** Emails leave after the response, so their counter moves a moment later. */
    private static void awaitMetric(String name, TestRealm realm, double expected, String... labels) {
        Eventually.await(name + " " + List.of(labels) + " reaches " + expected, Duration.ofSeconds(30),
                () -> metric(name, realm, labels) >= expected);
        assertEquals(expected, metric(name, realm, labels), name);
        assertTrue(MetricsScrape.scrape(server()).has(name));
    }
}
