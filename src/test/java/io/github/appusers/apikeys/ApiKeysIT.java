package io.github.appusers.apikeys;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.Database;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.Mailbox;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** User and server API keys: lifecycle, login, hashing at rest, limits. */
class ApiKeysIT extends IntegrationTest {

    private static TestRealm realm;

    @BeforeAll
    static void setUp() {
        realm = TestRealm.create("api-keys", map("anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                "api_keys", map("enabled", true, "max_per_user", 2)));
    }

    static ApiResponse keyLogin(TestRealm realm, String key) {
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:api-key", "client_id", TestRealm.APP_CLIENT, "api_key", key));
    }

    private static String userToken(String name) {
        realm.createUser(name, name + "-password");
        return realm.passwordLogin(name, name + "-password").get("access_token").asText();
    }

    @Test
    void aUserKeyLogsInAsItsUserUntilDisabledOrDeleted() {
        String token = userToken("kira");
        String userId = Jwt.claims(token).get("sub").asText();
        String keys = realm.path("/app-users/me/api-keys");
        JsonNode created = expect(realm.api().postJson(keys, token, map("name", "laptop")), 201).json();
        String value = created.get("key").asText();
        String id = created.get("id").asText();
        assertTrue(value.startsWith("ak." + id + "."), value);

        JsonNode listed = expect(realm.api().get(keys, token), 200).json();
        assertEquals(1, listed.size());
        assertFalse(listed.get(0).has("key"), "the value is shown once only");
        assertFalse(expect(realm.api().get(keys + "/" + id, token), 200).json().has("key"));

        JsonNode login = expect(keyLogin(realm, value), 200).json();
        assertEquals(userId, Jwt.claims(login.get("access_token").asText()).get("sub").asText());
        assertTrue(expect(realm.api().get(keys + "/" + id, token), 200).json().get("last_used_at").asLong() > 0);

        expect(realm.api().postJson(keys + "/" + id + "/disable", token, map()), 200);
        ApiResponse disabled = keyLogin(realm, value);
        expect(realm.api().postJson(keys + "/" + id + "/enable", token, map()), 200);
        expect(keyLogin(realm, value), 200);
        assertEquals(204, realm.api().delete(keys + "/" + id, token).status());
        ApiResponse deleted = keyLogin(realm, value);
        ApiResponse wrong = keyLogin(realm, value.substring(0, value.length() - 2) + "xx");
        for (ApiResponse refused : new ApiResponse[] {disabled, deleted, wrong}) {
            assertEquals(400, refused.status());
            assertEquals("invalid_grant", refused.error());
            assertEquals(disabled.body(), refused.body(), "one answer for disabled, deleted and wrong keys");
        }
    }

    @Test
    void theKeyValueIsStoredNowhere() {
        String token = userToken("lars");
        String value = expect(realm.api().postJson(realm.path("/app-users/me/api-keys"), token, map("name", "ci")), 201)
                .json().get("key").asText();
        String secret = value.substring(value.lastIndexOf('.') + 1);
        assertEquals(0, Database.count("SELECT COUNT(*) FROM APP_USERS_API_KEY WHERE SECRET_HASH = ? OR NAME = ?"
                + " OR SECRET_HASH = ?", secret, value, value));
        assertEquals(1, Database.count("SELECT COUNT(*) FROM APP_USERS_API_KEY WHERE LENGTH(SECRET_HASH) = 64 AND ID = ?",
                value.split("\\.")[1]));
        assertEquals(0, Database.count("SELECT COUNT(*) FROM APP_USERS_IDENTITY WHERE PROVIDER_ID = ?", value));
    }

    @Test
    void keysPerUserAreLimitedAndOthersKeysAreInvisible() {
        String token = userToken("mona");
        String keys = realm.path("/app-users/me/api-keys");
        expect(realm.api().postJson(keys, token, map("name", "one")), 201);
        String second = expect(realm.api().postJson(keys, token, map("name", "two")), 201).json().get("id").asText();
        ApiResponse third = realm.api().postJson(keys, token, map("name", "three"));
        assertEquals(409, third.status());
        assertEquals("key_limit_reached", third.error());

        String other = userToken("nils");
        assertEquals(404, realm.api().get(keys + "/" + second, other).status());
        assertEquals(404, realm.api().delete(keys + "/" + second, other).status());
        assertEquals(0, expect(realm.api().get(keys, other), 200).json().size());
    }

    @Test
    void anonymousUsersCannotHaveKeys() {
        JsonNode guest = expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT)), 200).json();
        ApiResponse refused = realm.api().postJson(realm.path("/app-users/me/api-keys"),
                guest.get("access_token").asText(), map("name", "guest-key"));
        assertEquals(403, refused.status());
        assertEquals("forbidden", refused.error());
    }

    @Test
    void serverKeysHaveTheirOwnServiceUser() {
        String base = realm.adminPath("/app-users/api-keys");
        JsonNode created = expect(realm.admin().post(base, map("name", "backend")), 201).json();
        String value = created.get("key").asText();
        String serviceUser = created.get("user_id").asText();
        JsonNode tokens = expect(keyLogin(realm, value), 200).json();
        String token = tokens.get("access_token").asText();
        assertEquals(serviceUser, Jwt.claims(token).get("sub").asText());
        assertFalse(Jwt.claims(token).get("is_anonymous").asBoolean(true));
        JsonNode me = expect(realm.api().get(realm.path("/app-users/me"), token), 200).json();
        assertEquals("api-key", me.at("/identities/0/provider_type").asText());
        assertEquals(created.get("id").asText(), me.at("/identities/0/id").asText());

        assertTrue(expect(realm.admin().get(base), 200).body().contains(created.get("id").asText()));
        expect(realm.admin().post(base + "/" + created.get("id").asText() + "/disable", null), 200);
        assertEquals("invalid_grant", keyLogin(realm, value).error());
        expect(realm.admin().delete(base + "/" + created.get("id").asText()), 204);
        assertEquals(404, realm.admin().get(realm.adminPath("/users/" + serviceUser)).status());
        assertEquals(400, realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "refresh_token",
                "client_id", TestRealm.APP_CLIENT, "refresh_token", tokens.get("refresh_token").asText())).status(),
                "the deleted key's sessions ended with its user");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "junk", "ak.", "ak.not-a-uuid.secret",
            "ak.00000000-0000-0000-0000-000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void junkKeysGetTheSameAnswer(String key) {
        ApiResponse refused = keyLogin(realm, key);
        assertEquals(400, refused.status());
        assertEquals("invalid_grant", refused.error());
    }

    @Test
    void theSwitchIsHonoured() {
        TestRealm off = TestRealm.create("api-keys-off", null);
        assertEquals("feature_disabled", keyLogin(off, "ak.x.y").error());
        off.createUser("olga", "olga-password");
        String token = off.passwordLogin("olga", "olga-password").get("access_token").asText();
        assertEquals(403, off.api().postJson(off.path("/app-users/me/api-keys"), token, map("name", "x")).status());
    }

    @Test
    void aKeySessionIsNeverARecentLoginSoAKeyCannotMintKeysOrChangeIdentities() {
        String token = userToken("quinn");
        String value = expect(realm.api().postJson(realm.path("/app-users/me/api-keys"), token, map("name", "k")), 201)
                .json().get("key").asText();
        String keyToken = expect(keyLogin(realm, value), 200).json().get("access_token").asText();
        for (ApiResponse refused : new ApiResponse[] {
                realm.api().postJson(realm.path("/app-users/me/api-keys"), keyToken, map("name", "minted")),
                realm.api().postJson(realm.path("/app-users/me/identities"), keyToken, map("type", "email-password",
                        "email", "quinn-new@example.test", "password", "quinn-new-password")),
                realm.api().delete(realm.path("/app-users/me/identities/api-key/x"), keyToken),
                realm.api().delete(realm.path("/app-users/me"), keyToken)}) {
            assertEquals(401, refused.status(), refused.toString());
            assertEquals("requires_recent_login", refused.error());
        }
        assertEquals(1, expect(realm.api().get(realm.path("/app-users/me/api-keys"), token), 200).json().size());
        assertEquals(200, realm.api().get(realm.path("/app-users/me"), keyToken).status(), "the key still signs in");
    }

    @Test
    void anAdminSignOutDisablesTheUsersKeys() {
        String token = userToken("rosa");
        String userId = Jwt.claims(token).get("sub").asText();
        String value = expect(realm.api().postJson(realm.path("/app-users/me/api-keys"), token, map("name", "k")), 201)
                .json().get("key").asText();
        expect(keyLogin(realm, value), 200);
        expect(realm.admin().post(realm.adminPath("/users/" + userId + "/logout"), null), 204);
        assertEquals("invalid_grant", keyLogin(realm, value).error());
        JsonNode key = expect(realm.admin().get(realm.adminPath("/users/" + userId)), 200).json();
        assertEquals(userId, key.get("id").asText(), "the user itself stays");
    }

    @Test
    void usersWithAdminRolesGetNoKeysAndTheirKeysStopWorking() {
        String viewerToken = realm.realmAdminToken("sven", "view-users");
        ApiResponse refused = realm.api().postJson(realm.path("/app-users/me/api-keys"), viewerToken, map("name", "k"));
        assertEquals(403, refused.status());
        assertEquals("forbidden", refused.error());

        // The realm's own "admin" role counts too; a key made before the role stops working.
        String token = userToken("tara");
        String userId = Jwt.claims(token).get("sub").asText();
        String value = expect(realm.api().postJson(realm.path("/app-users/me/api-keys"), token, map("name", "k")), 201)
                .json().get("key").asText();
        if (realm.admin().get(realm.adminPath("/roles/admin")).status() == 404) {
            expect(realm.admin().post(realm.adminPath("/roles"), map("name", "admin")), 201);
        }
        JsonNode role = expect(realm.admin().get(realm.adminPath("/roles/admin")), 200).json();
        expect(realm.admin().post(realm.adminPath("/users/" + userId + "/role-mappings/realm"), java.util.List.of(role)),
                204);
        ApiResponse login = keyLogin(realm, value);
        assertEquals(400, login.status());
        assertEquals("invalid_grant", login.error());
        String adminToken = realm.passwordLogin("tara", "tara-password").get("access_token").asText();
        assertEquals(403, realm.api().postJson(realm.path("/app-users/me/api-keys"), adminToken, map("name", "x"))
                .status());
    }

    @Test
    void aPasswordResetDisablesTheUsersKeys() throws Exception {
        try (Mailbox mailbox = new Mailbox()) {
            TestRealm resetting = TestRealm.create("api-keys-reset", map("api_keys", map("enabled", true),
                    "email_password", map("enabled", true, "confirmation", "auto")),
                    map("smtpServer", mailbox.smtpSettings(), "resetPasswordAllowed", true));
            resetting.createUser("uma", "uma-password");
            String token = resetting.passwordLogin("uma", "uma-password").get("access_token").asText();
            String keys = resetting.path("/app-users/me/api-keys");
            String value = expect(resetting.api().postJson(keys, token, map("name", "k")), 201).json().get("key").asText();
            expect(keyLogin(resetting, value), 200);

            String base = resetting.path("/app-users/email-password");
            expect(resetting.api().postJson(base + "/reset/send", null, map("email", "uma@example.test")), 202);
            String link = Mailbox.link(mailbox.await("uma@example.test", 1).get(0));
            expect(resetting.api().postJson(base + "/reset", null, map("token", Mailbox.param(link, "token"),
                    "token_id", Mailbox.param(link, "token_id"), "password", "uma-new-password")), 200);

            assertEquals("invalid_grant", keyLogin(resetting, value).error());
            String fresh = resetting.passwordLogin("uma", "uma-new-password").get("access_token").asText();
            assertFalse(expect(resetting.api().get(keys, fresh), 200).json().get(0).get("enabled").asBoolean(true));
        }
    }

    @Test
    void aClientsServiceAccountGetsNoKeysAndNoSelfService() {
        String serviceToken = realm.clientCredentials().get("access_token").asText();
        for (ApiResponse refused : new ApiResponse[] {
                realm.api().postJson(realm.path("/app-users/me/api-keys"), serviceToken, map("name", "outlives-the-secret")),
                realm.api().get(realm.path("/app-users/me/api-keys"), serviceToken),
                realm.api().postJson(realm.path("/app-users/me/identities"), serviceToken, map("type", "email-password",
                        "email", "service-" + System.nanoTime() + "@example.test", "password", "service-password")),
                realm.api().delete(realm.path("/app-users/me"), serviceToken)}) {
            assertEquals(403, refused.status(), refused.toString());
            assertEquals("forbidden", refused.error());
        }
    }

    @Test
    void aPasswordAnAdminSetsDisablesTheUsersKeys() {
        String token = userToken("wim");
        String userId = Jwt.claims(token).get("sub").asText();
        String value = expect(realm.api().postJson(realm.path("/app-users/me/api-keys"), token, map("name", "k")), 201)
                .json().get("key").asText();
        expect(realm.admin().put(realm.adminPath("/users/" + userId + "/reset-password"),
                map("type", "password", "value", "wim-new-password", "temporary", false)), 204);
        assertEquals("invalid_grant", keyLogin(realm, value).error());
    }

    @Test
    void badCreationRequestsAreRefused() {
        String token = userToken("pia");
        for (String body : new String[] {"{}", "{\"name\": 5}", "{\"name\": \"\"}", "{\"name\": ", "[]"}) {
            ApiResponse response = realm.api().send("POST", realm.path("/app-users/me/api-keys"), token,
                    "application/json", body);
            assertEquals(400, response.status(), body + " -> " + response);
        }
        assertEquals(401, realm.api().postJson(realm.path("/app-users/me/api-keys"), null, map("name", "x")).status());
    }
}
