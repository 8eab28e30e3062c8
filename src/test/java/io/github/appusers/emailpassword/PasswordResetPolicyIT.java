package io.github.appusers.emailpassword;

import static io.github.appusers.emailpassword.EmailPasswordIT.base;
import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.Database;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Mailbox;
import io.github.appusers.testsupport.TestRealm;
import io.github.appusers.testsupport.UserFederation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Password reset follows the realm's "Forgot password" switch, and gives no password to users who
 * have none, belong to a user federation provider or hold admin roles.
 */
class PasswordResetPolicyIT extends IntegrationTest {

    private static final String SECRET = "reset-function-secret-0123456789";
    private static Mailbox mailbox;
    private static FunctionServer functions;

    @BeforeAll
    static void setUp() throws Exception {
        mailbox = new Mailbox();
        functions = new FunctionServer(SECRET).on("/reset", body -> Answer.json(map("status", "success")));
    }

    @AfterAll
    static void tearDown() {
        mailbox.close();
        functions.close();
    }

    private static TestRealm realm(String prefix, Map<String, Object> emailPassword, boolean resetAllowed) {
        return TestRealm.create(prefix, map("email_password", emailPassword),
                map("smtpServer", mailbox.smtpSettings(), "resetPasswordAllowed", resetAllowed)).relaxUserProfile();
    }

    private static String unique(String name) {
        return name + "-" + System.nanoTime() + "@example.test";
    }

    /** A user created by an admin with the given email; with a password unless it is null. */
    private static String user(TestRealm realm, String email, String password) {
        Map<String, Object> user = map("username", email, "email", email, "emailVerified", true, "enabled", true);
        if (password != null) {
            user.put("credentials", List.of(map("type", "password", "value", password, "temporary", false)));
        }
        String location = expect(realm.admin().post(realm.adminPath("/users"), user), 201).header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static long resetTokens(String userId) {
        return Database.count("SELECT COUNT(*) FROM APP_USERS_EMAIL_TOKEN WHERE USER_ID = ?", userId);
    }

    private static void assertRefusalRecorded(TestRealm realm, String type, String userId, String reason) {
        JsonNode events = expect(realm.admin().get(realm.adminPath("/events?type=" + type + "&user=" + userId)), 200)
                .json();
        assertEquals(1, events.size(), events.toString());
        assertEquals("not_allowed", events.get(0).get("error").asText());
        assertEquals(reason, events.get(0).at("/details/reason").asText());
    }

    @Test
    void theRealmsForgotPasswordSwitchGovernsEveryResetEndpoint() throws Exception {
        TestRealm realm = realm("reset-switch", map("enabled", true, "confirmation", "auto"), false);
        String email = unique("ann");
        String userId = user(realm, email, "ann-password");
        List<ApiResponse> refused = List.of(
                realm.api().postJson(base(realm) + "/reset/send", null, map("email", email)),
                realm.api().postJson(base(realm) + "/reset", null, map("token", "a-token", "token_id", "a-token-id",
                        "password", "ann-new-password")),
                realm.api().postJson(base(realm) + "/reset/call-function", null, map("email", email,
                        "password", "ann-new-password")),
                realm.api().get(base(realm) + "/reset-page?token=a-token&token_id=a-token-id", null),
                realm.api().postForm(base(realm) + "/reset-page", null, Map.of("token", "a-token",
                        "token_id", "a-token-id", "password", "ann-new-password", "password-confirm", "ann-new-password")));
        for (ApiResponse response : refused) {
            assertEquals(403, response.status(), response.toString());
            assertEquals("feature_disabled", response.error());
            assertTrue(response.json().get("error_description").asText().contains("Forgot password"), response.toString());
        }
        assertEquals(0, resetTokens(userId), "no reset was started");

        expect(realm.admin().put(realm.adminPath(""), map("resetPasswordAllowed", true)), 204);
        expect(realm.api().postJson(base(realm) + "/reset/send", null, map("email", email)), 202);
        assertTrue(Mailbox.link(mailbox.await(email, 1).get(0)).contains("/reset-page?"));
    }

    @Test
    void usersWhoMayNotResetGetTheSameAnswerAndNoEmail() throws Exception {
        TestRealm realm = realm("reset-who", map("enabled", true, "confirmation", "auto"), true);
        String noPassword = unique("guest-like");
        String noPasswordId = user(realm, noPassword, null);
        String boss = unique("boss");
        String bossId = user(realm, boss, "boss-password");
        expect(realm.admin().post(realm.adminPath("/roles"), map("name", "admin")), 201);
        JsonNode adminRole = expect(realm.admin().get(realm.adminPath("/roles/admin")), 200).json();
        expect(realm.admin().post(realm.adminPath("/users/" + bossId + "/role-mappings/realm"), List.of(adminRole)), 204);
        String normal = unique("normal");
        String normalId = user(realm, normal, "normal-password");
        String federated = unique("federated");
        String federatedId = user(realm, federated, "federated-password");
        UserFederation.create(realm).link(federatedId);

        ApiResponse expected = expect(realm.api().postJson(base(realm) + "/reset/send", null, map("email", normal)), 202);
        for (String email : List.of(noPassword, boss, federated)) {
            ApiResponse answer = realm.api().postJson(base(realm) + "/reset/send", null, map("email", email));
            assertEquals(expected.status(), answer.status(), email + " -> " + answer);
            assertEquals(expected.body(), answer.body());
        }
        assertEquals(1, resetTokens(normalId));
        assertEquals(0, resetTokens(noPasswordId));
        assertEquals(0, resetTokens(bossId));
        assertEquals(0, resetTokens(federatedId));
        assertRefusalRecorded(realm, "SEND_RESET_PASSWORD_ERROR", noPasswordId, "the user has no password");
        assertRefusalRecorded(realm, "SEND_RESET_PASSWORD_ERROR", bossId, "the user holds an admin role");
        assertRefusalRecorded(realm, "SEND_RESET_PASSWORD_ERROR", federatedId,
                "the user belongs to a user federation provider");

        // Emails leave after the response; once the one for the normal user is in, none of the others came.
        mailbox.await(normal, 1);
        for (String email : List.of(noPassword, boss, federated)) {
            assertTrue(mailbox.to(email).isEmpty(), email);
        }
    }

    @Test
    void theResetFunctionIsNotCalledForUsersWhoMayNotReset() {
        TestRealm realm = realm("reset-function", map("enabled", true, "confirmation", "auto", "reset", "function",
                "reset_function", "reset-fn"), true);
        expect(realm.admin().put(realm.adminPath("/app-users/functions/reset-fn"), map("kind", "reset",
                "url", functions.url("/reset"), "secret", SECRET)), 200);
        String noPassword = unique("no-password");
        String noPasswordId = user(realm, noPassword, null);
        String normal = unique("with-password");
        user(realm, normal, "old-password");

        expect(realm.api().postJson(base(realm) + "/reset/call-function", null, map("email", noPassword,
                "password", "taken-over", "arguments", map())), 202);
        expect(realm.api().postJson(base(realm) + "/reset/call-function", null, map("email", normal,
                "password", "new-password", "arguments", map())), 202);

        List<String> called = functions.calls("/reset").stream().map(call -> call.body().get("email").asText()).toList();
        assertTrue(called.contains(normal), called.toString());
        assertFalse(called.contains(noPassword), "the function never heard of the user without a password");
        assertEquals(0, resetTokens(noPasswordId));
        assertRefusalRecorded(realm, "RESET_PASSWORD_ERROR", noPasswordId, "the user has no password");
        ApiResponse takeOver = realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "password",
                "client_id", TestRealm.APP_CLIENT, "username", noPassword, "password", "taken-over"));
        assertEquals("invalid_grant", takeOver.error(), "no password was set: " + takeOver);
    }
}
