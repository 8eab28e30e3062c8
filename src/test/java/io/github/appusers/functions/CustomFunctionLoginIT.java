package io.github.appusers.functions;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CustomFunctionLoginIT extends IntegrationTest {

    static final String GRANT = "urn:app-users:grant-type:custom-function";
    static final String SECRET = "a-function-secret-of-some-length";

    private static FunctionServer functions;
    private static TestRealm realm;

    @BeforeAll
    static void setUp() throws Exception {
        functions = new FunctionServer(SECRET)
                .on("/login", body -> {
                    JsonNode payload = body.get("payload");
                    if (!"letmein".equals(payload.path("code").asText())) {
                        return new Answer(403, "{\"error\":\"wrong code\"}", Map.of());
                    }
                    return Answer.json(map("id", payload.get("user").asText(), "name", "Named " + payload.get("user").asText(),
                            "email", payload.get("user").asText() + "@fn.example.test",
                            "attributes", map("plan", "gold", "tags", List.of("a", "b"))));
                })
                .on("/error-field", body -> Answer.json(map("error", "account locked upstream")))
                .on("/no-id", body -> Answer.json(map("name", "nobody")))
                .on("/blank-id", body -> Answer.json(map("id", "  ")))
                .on("/long-id", body -> Answer.json(map("id", "x".repeat(256))))
                .on("/array", body -> new Answer(200, "[1,2,3]", Map.of()))
                .on("/malformed", body -> new Answer(200, "{\"id\": \"abc\"", Map.of()))
                .on("/server-error", body -> new Answer(500, "{\"id\":\"would-be\"}", Map.of()))
                .on("/redirect", body -> new Answer(302, "", Map.of("Location", functions.url("/login"))))
                .on("/huge", body -> new Answer(200, "{\"id\":\"huge\",\"pad\":\"" + "x".repeat(300_000) + "\"}", Map.of()))
                .on("/dies", body -> Answer.diesMidAnswer("{\"id\":\"would-be\",\"name\":\"cut"))
                .on("/hangs-up", body -> Answer.hangsUp())
                .on("/slow", body -> {
                    // A slow function, the behaviour under test: it answers long after its 500 ms timeout.
                    Thread.sleep(3000);
                    return Answer.json(map("id", "slow-user"));
                });
        // Many logins from one address within a minute: the per-address limit has its own test.
        realm = TestRealm.create("functions", map("custom_function", map("enabled", true,
                "max_logins_per_ip_per_minute", 0)));
        putFunction(realm, "login", "login", functions.url("/login"), 2000);
        for (String broken : List.of("error-field", "no-id", "blank-id", "long-id", "array", "malformed", "server-error",
                "redirect", "huge", "dies", "hangs-up")) {
            putFunction(realm, broken, "login", functions.url("/" + broken), 2000);
        }
        putFunction(realm, "slow", "login", functions.url("/slow"), 500);
        putFunction(realm, "unreachable", "login", "http://127.0.0.1:1/nothing", 1000);
        putFunction(realm, "a-call", "call", functions.url("/login"), 2000);
    }

    @AfterAll
    static void tearDown() {
        functions.close();
    }

    static void putFunction(TestRealm realm, String name, String kind, String url, int timeoutMs) {
        expect(realm.admin().put(realm.adminPath("/app-users/functions/" + name),
                map("kind", kind, "url", url, "secret", SECRET, "timeout_ms", timeoutMs)), 200);
    }

    static ApiResponse functionLogin(TestRealm realm, String function, String payload) {
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", GRANT,
                "client_id", TestRealm.APP_CLIENT, "function", function, "payload", payload, "scope", "openid"));
    }

    private static long users() {
        return expect(realm.admin().get(realm.adminPath("/users/count")), 200).json().asLong();
    }

    @Test
    void firstLoginCreatesTheUserAndLaterLoginsFindIt() {
        ApiResponse first = expect(functionLogin(realm, "login", "{\"user\": \"jane\", \"code\": \"letmein\"}"), 200);
        JsonNode access = Jwt.claims(first.json().get("access_token").asText());
        assertFalse(access.get("is_anonymous").asBoolean(true));
        String userId = access.get("sub").asText();

        JsonNode user = expect(realm.admin().get(realm.adminPath("/users/" + userId)), 200).json();
        assertEquals("Named jane", user.get("firstName").asText());
        assertEquals("jane@fn.example.test", user.get("email").asText());
        assertFalse(user.get("emailVerified").asBoolean());
        JsonNode me = expect(realm.api().get(realm.path("/app-users/me"), first.json().get("access_token").asText()), 200)
                .json();
        assertEquals("custom-function", me.at("/identities/0/provider_type").asText());
        assertEquals("jane", me.at("/identities/0/id").asText());

        ApiResponse second = expect(functionLogin(realm, "login", "{\"user\": \"jane\", \"code\": \"letmein\"}"), 200);
        assertEquals(userId, Jwt.claims(second.json().get("access_token").asText()).get("sub").asText());

        JsonNode events = expect(realm.admin().get(realm.adminPath("/events?type=LOGIN&user=" + userId)), 200).json();
        assertEquals(2, events.size());
        assertEquals("custom-function", events.get(0).at("/details/app_users_flow").asText());
        assertEquals("login", events.get(0).at("/details/function").asText());
    }

    @Test
    void everyCallIsSignedOverTheExactBodyAndFresh() {
        long before = Instant.now().getEpochSecond();
        expect(functionLogin(realm, "login", "{\"user\": \"sig\", \"code\": \"letmein\", \"nested\": {\"a\": [1, 2]}}"), 200);
        FunctionServer.Call call = functions.calls("/login").stream()
                .filter(c -> "sig".equals(c.body().at("/payload/user").asText())).findFirst().orElseThrow();
        assertTrue(call.signatureValid(), "HMAC-SHA256(secret, t + '.' + body) verifies");
        assertTrue(Math.abs(call.signedAt() - before) <= 5, "t is the current unix time");
        assertEquals(2, call.body().at("/payload/nested/a/1").asInt(), "the payload is passed on as JSON");
    }

    @Test
    void everyFailureGivesAClearErrorAndWritesNothing() {
        long usersBefore = users();
        Map<String, String[]> cases = Map.ofEntries(
                Map.entry("error-field", new String[] {"401", "function_failed"}),
                Map.entry("no-id", new String[] {"502", "function_failed"}),
                Map.entry("blank-id", new String[] {"502", "function_failed"}),
                Map.entry("long-id", new String[] {"502", "function_failed"}),
                Map.entry("array", new String[] {"502", "function_failed"}),
                Map.entry("malformed", new String[] {"502", "function_failed"}),
                Map.entry("server-error", new String[] {"502", "function_failed"}),
                Map.entry("redirect", new String[] {"502", "function_failed"}),
                Map.entry("huge", new String[] {"502", "function_failed"}),
                Map.entry("unreachable", new String[] {"502", "function_failed"}),
                Map.entry("dies", new String[] {"502", "function_failed"}),
                Map.entry("hangs-up", new String[] {"502", "function_failed"}));
        cases.forEach((function, expected) -> {
            ApiResponse response = functionLogin(realm, function, "{\"user\": \"x\", \"code\": \"letmein\"}");
            assertEquals(Integer.parseInt(expected[0]), response.status(), function + ": " + response);
            assertEquals(expected[1], response.error(), function);
            assertTrue(response.json().get("error_description").asText().contains(function), function);
        });
        ApiResponse refused = functionLogin(realm, "login", "{\"user\": \"x\", \"code\": \"wrong\"}");
        assertEquals(401, refused.status());
        assertTrue(refused.json().get("error_description").asText().contains("wrong code"));
        ApiResponse slow = functionLogin(realm, "slow", "{}");
        assertEquals(504, slow.status(), slow.toString());
        assertEquals("function_timeout", slow.error());
        assertEquals(0, functions.calls("/login").stream().filter(c -> "/login".equals(c.path())
                && c.body().at("/payload/user").asText().equals("would-be")).count());
        assertEquals(usersBefore, users(), "no failed login left a user behind");
    }

    @Test
    void badRequestsAreRefusedBeforeAnyCall() {
        int callsBefore = functions.calls("/login").size();
        ApiResponse broken = functionLogin(realm, "login", "{\"user\": ");
        assertEquals(400, broken.status());
        assertEquals("invalid_payload", broken.error());
        assertEquals("invalid_payload", functionLogin(realm, "login", "[1]").error());
        assertEquals("invalid_payload", functionLogin(realm, "login", "\"text\"").error());
        ApiResponse missing = realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", GRANT,
                "client_id", TestRealm.APP_CLIENT, "function", "login"));
        assertEquals("invalid_payload", missing.error());
        ApiResponse tooBig = functionLogin(realm, "login", "{\"pad\": \"" + "y".repeat(17_000) + "\"}");
        assertEquals(413, tooBig.status());
        assertEquals("payload_too_large", tooBig.error());
        ApiResponse unknown = functionLogin(realm, "nope", "{}");
        assertEquals(400, unknown.status());
        assertEquals("invalid_request", unknown.error());
        ApiResponse wrongKind = functionLogin(realm, "a-call", "{}");
        assertEquals(400, wrongKind.status(), "a call function does not log anyone in");
        ApiResponse noName = realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", GRANT,
                "client_id", TestRealm.APP_CLIENT, "payload", "{}"));
        assertEquals("invalid_request", noName.error());
        assertEquals(callsBefore, functions.calls("/login").size());
    }

    @Test
    void theSwitchAndDisabledUsersAreHonoured() throws Exception {
        TestRealm off = TestRealm.create("functions-off", map("custom_function", map("enabled", false)));
        putFunction(off, "login", "login", functions.url("/login"), 2000);
        ApiResponse refused = functionLogin(off, "login", "{\"user\": \"kim\", \"code\": \"letmein\"}");
        assertEquals(403, refused.status());
        assertEquals("feature_disabled", refused.error());

        String userId = Jwt.claims(expect(functionLogin(realm, "login", "{\"user\": \"disabled-one\", \"code\": \"letmein\"}"),
                200).json().get("access_token").asText()).get("sub").asText();
        expect(realm.admin().put(realm.adminPath("/users/" + userId), map("enabled", false)), 204);
        ApiResponse disabled = functionLogin(realm, "login", "{\"user\": \"disabled-one\", \"code\": \"letmein\"}");
        assertEquals(400, disabled.status());
        assertEquals("invalid_grant", disabled.error());
    }

    @Test
    void twentyConcurrentFirstLoginsWithOneIdEndWithOneUser() throws Exception {
        long usersBefore = users();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<ApiResponse>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return functionLogin(realm, "login", "{\"user\": \"crowd\", \"code\": \"letmein\"}");
                }));
            }
            start.countDown();
            Set<String> subjects = new HashSet<>();
            for (Future<ApiResponse> result : results) {
                ApiResponse response = result.get();
                assertEquals(200, response.status(), response.toString());
                subjects.add(Jwt.claims(response.json().get("access_token").asText()).get("sub").asText());
            }
            assertEquals(1, subjects.size(), "every racer logged in as the same user");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(usersBefore + 1, users());
    }

    @Test
    void differentIdsAreDifferentUsers() {
        String a = Jwt.claims(expect(functionLogin(realm, "login", "{\"user\": \"ann\", \"code\": \"letmein\"}"), 200)
                .json().get("access_token").asText()).get("sub").asText();
        String b = Jwt.claims(expect(functionLogin(realm, "login", "{\"user\": \"bob\", \"code\": \"letmein\"}"), 200)
                .json().get("access_token").asText()).get("sub").asText();
        assertNotEquals(a, b);
    }
}
