package io.github.appusers.emailpassword;

import static io.github.appusers.emailpassword.EmailPasswordIT.base;
import static io.github.appusers.emailpassword.EmailPasswordIT.passwordGrant;
import static io.github.appusers.emailpassword.EmailPasswordIT.register;
import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Confirmation and reset functions, retry, and the per-address request limit. */
class EmailPasswordFunctionsIT extends IntegrationTest {

    private static final String SECRET = "confirmation-function-secret";
    /** What the confirmation function answers per email (success, pending or fail). */
    private static final Map<String, String> VERDICTS = new ConcurrentHashMap<>();
    private static FunctionServer functions;
    private static TestRealm realm;

    @BeforeAll
    static void setUp() throws Exception {
        functions = new FunctionServer(SECRET)
                .on("/confirm", body -> Answer.json(map("status", VERDICTS.getOrDefault(body.get("email").asText(), "fail"))))
                .on("/login", body -> Answer.json(map("id", body.at("/payload/id").asText())))
                .on("/reset", body -> Answer.json(map("status",
                        "open sesame".equals(body.at("/arguments/answer").asText()) ? "success" : "fail")));
        realm = TestRealm.create("email-functions", map("email_password", map("enabled", true,
                "confirmation", "function", "confirmation_function", "confirm-fn",
                "reset", "function", "reset_function", "reset-fn", "resend_cooldown_seconds", 0),
                "custom_function", map("enabled", true)), map("resetPasswordAllowed", true));
        realm.relaxUserProfile();
        expect(realm.admin().put(realm.adminPath("/app-users/functions/confirm-fn"), map("kind", "confirmation",
                "url", functions.url("/confirm"), "secret", SECRET)), 200);
        expect(realm.admin().put(realm.adminPath("/app-users/functions/login-fn"), map("kind", "login",
                "url", functions.url("/login"), "secret", SECRET)), 200);
        expect(realm.admin().put(realm.adminPath("/app-users/functions/reset-fn"), map("kind", "reset",
                "url", functions.url("/reset"), "secret", SECRET)), 200);
    }

    @AfterAll
    static void tearDown() {
        functions.close();
    }

    private static String unique(String name) {
        return name + "-" + System.nanoTime() + "@example.test";
    }

    @Test
    void theFunctionConfirmsAtOnceWhenItSaysSuccess() {
        String email = unique("ada");
        VERDICTS.put(email, "success");
        expect(register(realm, email, "ada-password"), 202);
        expect(passwordGrant(realm, email, "ada-password"), 200);
        JsonNode call = functions.calls("/confirm").stream().filter(c -> email.equals(c.body().get("email").asText()))
                .findFirst().orElseThrow().body();
        assertTrue(call.get("token").asText().length() > 20);
        assertTrue(call.get("token_id").asText().length() > 20);
    }

    @Test
    void pendingWaitsAndARetryCanConfirmLater() {
        String email = unique("ben");
        VERDICTS.put(email, "pending");
        expect(register(realm, email, "ben-password"), 202);
        assertEquals("confirmation_required", passwordGrant(realm, email, "ben-password").error());
        VERDICTS.put(email, "success");
        expect(realm.api().postJson(base(realm) + "/confirm/retry-function", null, map("email", email)), 202);
        expect(passwordGrant(realm, email, "ben-password"), 200);
    }

    @Test
    void pendingCanAlsoBeConfirmedWithTheTokenTheFunctionReceived() {
        String email = unique("cleo");
        VERDICTS.put(email, "pending");
        expect(register(realm, email, "cleo-password"), 202);
        JsonNode call = functions.calls("/confirm").stream().filter(c -> email.equals(c.body().get("email").asText()))
                .reduce((a, b) -> b).orElseThrow().body();
        expect(realm.api().postJson(base(realm) + "/confirm", null, map("token", call.get("token").asText(),
                "token_id", call.get("token_id").asText())), 200);
        expect(passwordGrant(realm, email, "cleo-password"), 200);
    }

    /** The newest call of the function at {@code path} about {@code email}. */
    private static JsonNode newestCall(String path, String email) {
        return functions.calls(path).stream().filter(c -> email.equals(c.body().get("email").asText()))
                .reduce((a, b) -> b).orElseThrow().body();
    }

    /** The user of the tokens, as the admin API shows it. */
    private static JsonNode adminView(JsonNode tokens) {
        String id = Jwt.claims(tokens.get("access_token").asText()).get("sub").asText();
        return expect(realm.admin().get(realm.adminPath("/users/" + id)), 200).json();
    }

    @Test
    void aConfirmationTokenTheFunctionReceivedConfirmsButVerifiesNothing() {
        String email = unique("ivy");
        VERDICTS.put(email, "pending");
        expect(register(realm, email, "ivy-password"), 202);
        JsonNode call = newestCall("/confirm", email);
        expect(realm.api().postJson(base(realm) + "/confirm", null, map("token", call.get("token").asText(),
                "token_id", call.get("token_id").asText())), 200);

        JsonNode tokens = expect(passwordGrant(realm, email, "ivy-password"), 200).json();
        assertFalse(Jwt.claims(tokens.get("access_token").asText()).get("email_verified").asBoolean(),
                "only the function saw the token, not necessarily the mailbox");
        JsonNode user = adminView(tokens);
        assertEquals(email, user.get("email").asText(), "the claim is confirmed: the user took the address");
        assertFalse(user.get("emailVerified").asBoolean(), user.toString());
        JsonNode events = expect(realm.admin().get(realm.adminPath("/events?type=VERIFY_EMAIL&user="
                + user.get("id").asText())), 200).json();
        assertEquals("function", events.get(0).at("/details/token_delivery").asText(), events.toString());
    }

    @Test
    void aTokenOfAnEarlierVersionCountsAsTheRealmsModeDeliversIt() {
        String email = unique("old");
        VERDICTS.put(email, "pending");
        expect(register(realm, email, "old-password"), 202);
        JsonNode call = newestCall("/confirm", email);
        // Earlier versions did not record the delivery: this realm confirms with a function, so it counts as the function's.
        assertEquals(1, io.github.appusers.testsupport.Database.update(
                "UPDATE APP_USERS_EMAIL_TOKEN SET DELIVERY = NULL WHERE ID = ?", call.get("token_id").asText()));
        expect(realm.api().postJson(base(realm) + "/confirm", null, map("token", call.get("token").asText(),
                "token_id", call.get("token_id").asText())), 200);
        JsonNode tokens = expect(passwordGrant(realm, email, "old-password"), 200).json();
        assertFalse(adminView(tokens).get("emailVerified").asBoolean(), "an unrecorded delivery proves nothing here");
    }

    @Test
    void aResetTokenTheFunctionReceivedSetsThePasswordButVerifiesNothing() {
        String email = unique("jon");
        VERDICTS.put(email, "success"); // confirmed, not verified (a plain success)
        expect(register(realm, email, "jon-password"), 202);
        // The function refuses this reset, so the token it got stays valid; whoever holds it uses it.
        expect(realm.api().postJson(base(realm) + "/reset/call-function", null, map("email", email,
                "password", "jon-guess-1", "arguments", map("answer", "nope"))), 202);
        JsonNode call = newestCall("/reset", email);
        expect(realm.api().postJson(base(realm) + "/reset", null, map("token", call.get("token").asText(),
                "token_id", call.get("token_id").asText(), "password", "jon-new-password")), 200);

        JsonNode tokens = expect(passwordGrant(realm, email, "jon-new-password"), 200).json();
        assertFalse(Jwt.claims(tokens.get("access_token").asText()).get("email_verified").asBoolean(),
                "only the function saw the token, not necessarily the mailbox");
        assertFalse(adminView(tokens).get("emailVerified").asBoolean());
    }

    @Test
    void aPendingUserIsRefusedByOurGrantsToo() {
        String email = unique("hal");
        VERDICTS.put(email, "pending");
        expect(register(realm, email, "hal-password"), 202);
        String userId = null;
        for (JsonNode user : expect(realm.admin().get(realm.adminPath("/app-users/users?status=pending-confirmation")),
                200).json()) {
            if (email.equals(user.path("pending_email").asText())) {
                userId = user.get("id").asText();
            }
        }
        String ext = "hal-ext-" + System.nanoTime();
        expect(realm.admin().post(realm.adminPath("/app-users/users/" + userId + "/identities"),
                map("provider_type", "custom-function", "id", ext)), 201);
        ApiResponse refused = realm.api().postForm(realm.tokenEndpoint(), null, io.github.appusers.testsupport.Api.form(
                "grant_type", "urn:app-users:grant-type:custom-function", "client_id", TestRealm.APP_CLIENT,
                "function", "login-fn", "payload", "{\"id\": \"" + ext + "\"}"));
        assertEquals(400, refused.status());
        assertEquals("confirmation_required", refused.error());
    }

    @Test
    void failMeansNoRegistration() {
        String email = unique("dan");
        VERDICTS.put(email, "fail");
        long before = expect(realm.admin().get(realm.adminPath("/users/count")), 200).json().asLong();
        ApiResponse response = register(realm, email, "dan-password");
        assertEquals(202, response.status(), "the answer is the same as for any registration");
        assertEquals(before, expect(realm.admin().get(realm.adminPath("/users/count")), 200).json().asLong());
    }

    @Test
    void theResetFunctionDecidesWhetherThePasswordChanges() {
        String email = unique("eve");
        VERDICTS.put(email, "success");
        expect(register(realm, email, "eve-password"), 202);
        expect(realm.api().postJson(base(realm) + "/reset/call-function", null, map("email", email,
                "password", "eve-wrong-guess", "arguments", map("answer", "nope"))), 202);
        expect(passwordGrant(realm, email, "eve-password"), 200);
        expect(realm.api().postJson(base(realm) + "/reset/call-function", null, map("email", email,
                "password", "eve-new-password", "arguments", map("answer", "open sesame"))), 202);
        expect(passwordGrant(realm, email, "eve-new-password"), 200);
        JsonNode call = functions.calls("/reset").get(functions.calls("/reset").size() - 1).body();
        assertEquals(email, call.get("email").asText());
        assertTrue(functions.calls("/reset").stream().allMatch(FunctionServer.Call::signatureValid));
        // A reset by email is refused where the realm resets with a function.
        assertEquals(400, realm.api().postJson(base(realm) + "/reset/send", null, map("email", email)).status());
    }

    @Test
    void requestsPerClientAddressAreLimited() {
        TestRealm limited = TestRealm.create("email-limit", map("email_password", map("enabled", true,
                "confirmation", "auto", "max_requests_per_ip_per_hour", 2)));
        limited.relaxUserProfile();
        expect(register(limited, unique("f1"), "f1-password"), 202);
        expect(register(limited, unique("f2"), "f2-password"), 202);
        ApiResponse third = register(limited, unique("f3"), "f3-password");
        assertEquals(429, third.status());
        assertEquals("rate_limited", third.error());
    }

    @Test
    void stepsAreRecordedAsEvents() {
        String email = unique("gil");
        VERDICTS.put(email, "success");
        expect(register(realm, email, "gil-password"), 202);
        JsonNode events = expect(realm.admin().get(realm.adminPath("/events?type=REGISTER")), 200).json();
        boolean found = false;
        for (JsonNode event : events) {
            if (email.equals(event.at("/details/email").asText())) {
                found = true;
                assertEquals("email-password", event.at("/details/app_users_flow").asText());
                assertEquals("confirmed", event.at("/details/confirmation").asText());
            }
        }
        assertTrue(found, events.toString());
    }
}
