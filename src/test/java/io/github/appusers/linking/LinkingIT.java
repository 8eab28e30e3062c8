package io.github.appusers.linking;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.Database;
import io.github.appusers.testsupport.Eventually;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Linking, upgrading anonymous users, unlinking, recent login and account deletion. */
class LinkingIT extends IntegrationTest {

    private static final String SECRET = "linking-function-secret";
    private static FunctionServer functions;
    private static TestRealm realm;

    @BeforeAll
    static void setUp() throws Exception {
        functions = new FunctionServer(SECRET).on("/login", body -> Answer.json(map("id", body.at("/payload/user").asText())));
        realm = TestRealm.create("linking", map("anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                "email_password", map("enabled", true, "confirmation", "auto"),
                "custom_function", map("enabled", true)));
        realm.relaxUserProfile();
        expect(realm.admin().put(realm.adminPath("/app-users/functions/login"), map("kind", "login",
                "url", functions.url("/login"), "secret", SECRET)), 200);
    }

    @AfterAll
    static void tearDown() {
        functions.close();
    }

    static JsonNode guest(TestRealm realm) {
        return expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT, "scope", "openid")), 200).json();
    }

    static ApiResponse link(TestRealm realm, JsonNode tokens, Object body) {
        return realm.api().postJson(realm.path("/app-users/me/identities"), tokens.get("access_token").asText(), body);
    }

    static JsonNode refresh(TestRealm realm, JsonNode tokens) {
        return expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "refresh_token",
                "client_id", TestRealm.APP_CLIENT, "refresh_token", tokens.get("refresh_token").asText())), 200).json();
    }

    private static String unique(String name) {
        return name + "-" + System.nanoTime() + "@example.test";
    }

    /**
     * Waits (bounded) until the server no longer counts the login behind {@code tokens} as recent.
     * No setting shortens this: recent_login_seconds is at least 1, counted in whole seconds, and
     * a token's auth_time or a session's start cannot be back-dated. The probe is a sensitive call
     * that changes nothing: unlinking an identity the user does not have (404 while the login is
     * recent, 401 requires_recent_login after).
     */
    private static void awaitLoginNoLongerRecent(TestRealm realm, JsonNode tokens) {
        String probe = realm.path("/app-users/me/identities/local-userpass/nobody@example.test");
        Eventually.await("the login is no longer recent", Duration.ofSeconds(30), () -> "requires_recent_login"
                .equals(realm.api().delete(probe, tokens.get("access_token").asText()).error()));
    }

    @Test
    void linkingAnEmailPasswordUpgradesTheGuestKeepingItsId() {
        JsonNode tokens = guest(realm);
        String id = Jwt.claims(tokens.get("access_token").asText()).get("sub").asText();
        String email = unique("upgrade");

        ApiResponse linked = expect(link(realm, tokens, map("type", "email-password", "email", email,
                "password", "upgrade-password")), 201);
        assertEquals("local-userpass", linked.json().get("provider_type").asText());

        JsonNode next = refresh(realm, tokens);
        assertEquals(id, Jwt.claims(next.get("access_token").asText()).get("sub").asText());
        assertFalse(Jwt.claims(next.get("access_token").asText()).get("is_anonymous").asBoolean(true));
        JsonNode me = expect(realm.api().get(realm.path("/app-users/me"), next.get("access_token").asText()), 200).json();
        assertFalse(me.get("is_anonymous").asBoolean(true));
        assertEquals(2, me.get("identities").size(), "the anonymous identity stays listed");
        JsonNode byPassword = expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "password",
                "client_id", TestRealm.APP_CLIENT, "username", email, "password", "upgrade-password")), 200).json();
        assertEquals(id, Jwt.claims(byPassword.get("access_token").asText()).get("sub").asText());
    }

    @Test
    void linkingACustomFunctionIdentityAndConflicts() {
        JsonNode first = guest(realm);
        JsonNode second = guest(realm);
        String ext = "ext-" + System.nanoTime();
        expect(link(realm, first, map("type", "custom-function", "function", "login", "payload", map("user", ext))), 201);
        ApiResponse conflict = link(realm, second, map("type", "custom-function", "function", "login",
                "payload", map("user", ext)));
        assertEquals(409, conflict.status());
        assertEquals("identity_in_use", conflict.error());
        JsonNode secondMe = expect(realm.api().get(realm.path("/app-users/me"), second.get("access_token").asText()), 200)
                .json();
        assertTrue(secondMe.get("is_anonymous").asBoolean(), "nothing changed on the loser");
        assertEquals(1, secondMe.get("identities").size());

        // Logging in through the function now finds the upgraded guest.
        JsonNode viaFunction = expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:custom-function", "client_id", TestRealm.APP_CLIENT, "function", "login",
                "payload", "{\"user\": \"" + ext + "\"}")), 200).json();
        assertEquals(Jwt.claims(first.get("access_token").asText()).get("sub").asText(),
                Jwt.claims(viaFunction.get("access_token").asText()).get("sub").asText());
    }

    @Test
    void twentyGuestsRacingForOneEmailHaveOneWinner() throws Exception {
        String email = unique("race");
        List<JsonNode> guests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            guests.add(guest(realm));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        int won = 0;
        int lost = 0;
        try {
            List<Future<ApiResponse>> results = new ArrayList<>();
            for (JsonNode guest : guests) {
                results.add(pool.submit(() -> {
                    start.await();
                    return link(realm, guest, map("type", "email-password", "email", email, "password", "race-password"));
                }));
            }
            start.countDown();
            for (Future<ApiResponse> result : results) {
                ApiResponse response = result.get();
                if (response.status() == 201) {
                    won++;
                } else {
                    assertEquals(409, response.status(), response.toString());
                    assertEquals("identity_in_use", response.error());
                    lost++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, won);
        assertEquals(19, lost);
        assertEquals(1, Database.count("SELECT COUNT(*) FROM APP_USERS_IDENTITY WHERE PROVIDER_TYPE = 'local-userpass'"
                + " AND PROVIDER_ID = ?", email));
    }

    @Test
    void unlinkingRulesAndThePasswordGoesWithItsIdentity() {
        JsonNode tokens = guest(realm);
        String anonId = expect(realm.api().get(realm.path("/app-users/me"), tokens.get("access_token").asText()), 200)
                .json().at("/identities/0/id").asText();
        String base = realm.path("/app-users/me/identities/");
        ApiResponse last = realm.api().delete(base + "anon-user/" + anonId, tokens.get("access_token").asText());
        assertEquals(409, last.status());
        assertEquals("last_identity", last.error());

        String email = unique("unlink");
        expect(link(realm, tokens, map("type", "email-password", "email", email, "password", "unlink-password")), 201);
        expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "password",
                "client_id", TestRealm.APP_CLIENT, "username", email, "password", "unlink-password")), 200);
        assertEquals(204, realm.api().delete(base + "local-userpass/" + email, tokens.get("access_token").asText()).status());
        ApiResponse afterUnlink = realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "password",
                "client_id", TestRealm.APP_CLIENT, "username", email, "password", "unlink-password"));
        assertEquals("invalid_grant", afterUnlink.error(), "the password login went with its identity: " + afterUnlink);
        assertEquals(404, realm.api().delete(base + "local-userpass/" + email, tokens.get("access_token").asText()).status());
    }

    @Test
    void sensitiveCallsNeedARecentLogin() throws Exception {
        TestRealm strict = TestRealm.create("linking-recent", map("anonymous", map("enabled", true),
                "email_password", map("enabled", true, "confirmation", "auto"), "recent_login_seconds", 1));
        JsonNode tokens = guest(strict);
        awaitLoginNoLongerRecent(strict, tokens);
        JsonNode refreshed = refresh(strict, tokens);
        ApiResponse refused = link(strict, refreshed, map("type", "email-password", "email", unique("late"),
                "password", "late-password"));
        assertEquals(401, refused.status());
        assertEquals("requires_recent_login", refused.error());
        ApiResponse deleteRefused = strict.api().delete(strict.path("/app-users/me"), refreshed.get("access_token").asText());
        assertEquals("requires_recent_login", deleteRefused.error());
        assertEquals(1, expect(strict.admin().get(strict.adminPath("/users/count")), 200).json().asLong());
    }

    @Test
    void aPasswordGrantLoginCountsFromTheStartOfItsSession() throws Exception {
        // Keycloak's password grant issues tokens without auth_time; the session start stands in.
        TestRealm strict = TestRealm.create("linking-password", map("email_password", map("enabled", true,
                "confirmation", "auto"), "recent_login_seconds", 1));
        strict.createUser("old", "old-password");
        JsonNode old = strict.passwordLogin("old", "old-password");
        awaitLoginNoLongerRecent(strict, old);
        ApiResponse refused = strict.api().delete(strict.path("/app-users/me"),
                refresh(strict, old).get("access_token").asText());
        assertEquals("requires_recent_login", refused.error(), refused.toString());

        strict.createUser("fresh", "fresh-password");
        JsonNode fresh = strict.passwordLogin("fresh", "fresh-password");
        assertEquals(204, strict.api().delete(strict.path("/app-users/me"), fresh.get("access_token").asText()).status());
    }

    @Test
    void deletingMyAccountRemovesEverythingAndEndsTheSessions() {
        JsonNode tokens = guest(realm);
        String id = Jwt.claims(tokens.get("access_token").asText()).get("sub").asText();
        expect(link(realm, tokens, map("type", "custom-function", "function", "login", "payload",
                map("user", "deleted-" + System.nanoTime()))), 201);
        assertEquals(204, realm.api().delete(realm.path("/app-users/me"), tokens.get("access_token").asText()).status());
        assertEquals(404, realm.admin().get(realm.adminPath("/users/" + id)).status());
        assertEquals(0, Database.count("SELECT COUNT(*) FROM APP_USERS_IDENTITY WHERE USER_ID = ?", id));
        assertEquals(400, realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "refresh_token",
                "client_id", TestRealm.APP_CLIENT, "refresh_token", tokens.get("refresh_token").asText())).status());
        assertEquals(401, realm.api().get(realm.path("/app-users/me"), tokens.get("access_token").asText()).status());
        JsonNode events = expect(realm.admin().get(realm.adminPath("/events?type=DELETE_ACCOUNT&user=" + id)), 200).json();
        assertEquals(1, events.size());
    }

    @Test
    void theIdentitiesClaimIsInTheIdTokenAndUserinfo() {
        JsonNode tokens = guest(realm);
        JsonNode idToken = Jwt.claims(tokens.get("id_token").asText());
        assertEquals("anon-user", idToken.at("/identities/0/provider_type").asText());
        assertFalse(Jwt.claims(tokens.get("access_token").asText()).has("identities"), "not in access tokens by default");
        JsonNode userinfo = expect(realm.api().get(realm.path("/protocol/openid-connect/userinfo"),
                tokens.get("access_token").asText()), 200).json();
        assertEquals("anon-user", userinfo.at("/identities/0/provider_type").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"type\": \"carrier-pigeon\"}", "{\"type\": \"email-password\"}",
            "{\"type\": \"email-password\", \"email\": \"a@example.test\", \"password\": \"x\"}",
            "{\"type\": \"custom-function\", \"function\": \"login\"}",
            "{\"type\": \"custom-function\", \"function\": \"nope\", \"payload\": {}}",
            "{\"type\": ", "[]"})
    void badLinkRequestsChangeNothing(String body) {
        JsonNode tokens = guest(realm);
        ApiResponse response = realm.api().send("POST", realm.path("/app-users/me/identities"),
                tokens.get("access_token").asText(), "application/json", body);
        assertEquals(400, response.status(), response.toString());
        assertTrue(response.json().has("error_description"));
        assertEquals(1, expect(realm.api().get(realm.path("/app-users/me"), tokens.get("access_token").asText()), 200)
                .json().get("identities").size());
    }
}
