package io.github.appusers.restart;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.Database;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.Mailbox;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Everything the extension keeps is in the database, none of it only in memory: after a restart
 * of the server, identities, custom data, API keys, pending registrations with their emailed
 * tokens, settings and functions are all still there and still work.
 */
class ServerRestartIT extends IntegrationTest {

    private static final String SECRET = "restart-function-secret";

    private static Mailbox mailbox;
    private static FunctionServer functions;

    @BeforeAll
    static void setUp() throws Exception {
        mailbox = new Mailbox();
        functions = new FunctionServer(SECRET).on("/login", body -> Answer.json(map("id", body.at("/payload/user").asText())));
    }

    @AfterAll
    static void tearDown() {
        mailbox.close();
        functions.close();
    }

    private static ApiResponse token(TestRealm realm, String... form) {
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form(form));
    }

    private static String subject(JsonNode tokens) {
        return Jwt.claims(tokens.get("access_token").asText()).get("sub").asText();
    }

    private static JsonNode functionLogin(TestRealm realm, String user) {
        return expect(token(realm, "grant_type", "urn:app-users:grant-type:custom-function", "client_id",
                TestRealm.APP_CLIENT, "function", "login", "payload", Api.toJson(map("user", user))), 200).json();
    }

    private static JsonNode passwordLogin(TestRealm realm, String email, String password) {
        return expect(token(realm, "grant_type", "password", "client_id", TestRealm.APP_CLIENT,
                "username", email, "password", password, "scope", "openid"), 200).json();
    }

    private static void confirm(TestRealm realm, String emailedLink) {
        expect(realm.api().postJson(realm.path("/app-users/email-password/confirm"), null, map(
                "token", Mailbox.param(emailedLink, "token"), "token_id", Mailbox.param(emailedLink, "token_id"))), 200);
    }

    @Test
    void everythingTheExtensionKeepsSurvivesARestart() throws Exception {
        TestRealm realm = TestRealm.create("restart", map(
                "anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                "email_password", map("enabled", true, "confirmation", "email"),
                "custom_function", map("enabled", true),
                "custom_data", map("user_writable", true, "max_bytes", 4096),
                "api_keys", map("enabled", true, "max_per_user", 3)), map("smtpServer", mailbox.smtpSettings()))
                .relaxUserProfile();
        expect(realm.admin().put(realm.adminPath("/app-users/functions/login"), map("kind", "login",
                "url", functions.url("/login"), "secret", SECRET, "timeout_ms", 4000)), 200);
        expect(realm.updateSettings(map("recent_login_seconds", 600)), 200);

        // A guest upgraded with an email/password, with custom data and an API key.
        JsonNode guest = expect(token(realm, "grant_type", "urn:app-users:grant-type:anonymous",
                "client_id", TestRealm.APP_CLIENT), 200).json();
        String guestId = subject(guest);
        String email = "restart-" + System.nanoTime() + "@example.test";
        String access = guest.get("access_token").asText();
        expect(realm.api().postJson(realm.path("/app-users/me/identities"), access,
                map("type", "email-password", "email", email, "password", "restart-password")), 202);
        confirm(realm, Mailbox.link(mailbox.await(email, 1).get(0)));
        expect(realm.api().putJson(realm.path("/app-users/me/custom-data"), access, map("plan", "gold")), 200);
        String apiKey = expect(realm.api().postJson(realm.path("/app-users/me/api-keys"), access,
                map("name", "restart")), 201).json().get("key").asText();
        // A custom-function user, and a registration waiting for its emailed confirmation.
        String functionUser = subject(functionLogin(realm, "restart-fn"));
        String pending = "pending-" + System.nanoTime() + "@example.test";
        expect(realm.api().postJson(realm.path("/app-users/email-password/register"), null,
                map("email", pending, "password", "pending-password")), 202);
        String link = Mailbox.link(mailbox.await(pending, 1).get(0));
        JsonNode settings = expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json();
        JsonNode functionList = expect(realm.admin().get(realm.adminPath("/app-users/functions")), 200).json();
        long users = expect(realm.admin().get(realm.adminPath("/users/count")), 200).json().asLong();
        // A function as an earlier version stored it, secret inside, written behind the server's back.
        String realmId = expect(realm.admin().get(realm.adminPath("")), 200).json().get("id").asText();
        Database.update("INSERT INTO REALM_ATTRIBUTE (NAME, REALM_ID, VALUE) VALUES (?, ?, ?)",
                "app-users.function.legacy", realmId, Api.toJson(map("kind", "login", "url", functions.url("/login"),
                        "secret", SECRET, "timeout_ms", 4000)));

        server().stop();
        server().start();

        assertEquals(users, expect(realm.admin().get(realm.adminPath("/users/count")), 200).json().asLong());
        assertEquals(settings, expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json());
        // The start moved the earlier version's secret out of the attributes; the function works.
        assertFalse(expect(realm.admin().get(realm.adminPath("")), 200).body().contains(SECRET));
        assertEquals(1, expect(realm.admin().get(realm.adminPath("/components?type="
                + "io.github.appusers.secrets.AppUsersSecret&name=function.legacy")), 200).json().size());
        assertEquals(subject(functionLogin(realm, "restart-fn")), subject(expect(token(realm, "grant_type",
                "urn:app-users:grant-type:custom-function", "client_id", TestRealm.APP_CLIENT, "function", "legacy",
                "payload", Api.toJson(map("user", "restart-fn"))), 200).json()));
        expect(realm.admin().delete(realm.adminPath("/app-users/functions/legacy")), 204);
        assertEquals(functionList, expect(realm.admin().get(realm.adminPath("/app-users/functions")), 200).json());

        JsonNode byPassword = passwordLogin(realm, email, "restart-password");
        assertEquals(guestId, subject(byPassword));
        assertEquals("gold", Jwt.claims(byPassword.get("access_token").asText()).at("/custom_data/plan").asText());
        JsonNode me = expect(realm.api().get(realm.path("/app-users/me"), byPassword.get("access_token").asText()), 200)
                .json();
        assertFalse(me.get("is_anonymous").asBoolean(true));
        Set<String> types = new HashSet<>();
        me.get("identities").forEach(identity -> types.add(identity.get("provider_type").asText()));
        assertEquals(Set.of("anon-user", "local-userpass"), types);
        assertEquals("gold", me.at("/custom_data/plan").asText());

        JsonNode byKey = expect(token(realm, "grant_type", "urn:app-users:grant-type:api-key",
                "client_id", TestRealm.APP_CLIENT, "api_key", apiKey), 200).json();
        assertEquals(guestId, subject(byKey));
        // The refresh token from before the restart still works: sessions are kept in the database.
        assertEquals(guestId, subject(expect(token(realm, "grant_type", "refresh_token", "client_id",
                TestRealm.APP_CLIENT, "refresh_token", guest.get("refresh_token").asText()), 200).json()));

        assertEquals(functionUser, subject(functionLogin(realm, "restart-fn")), "the function's id finds its user");

        ApiResponse stillPending = token(realm, "grant_type", "password", "client_id", TestRealm.APP_CLIENT,
                "username", pending, "password", "pending-password");
        assertEquals("confirmation_required", stillPending.error(), stillPending.toString());
        confirm(realm, link);
        passwordLogin(realm, pending, "pending-password");
    }
}
