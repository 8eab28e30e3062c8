package io.github.appusers.linking;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.testsupport.AdminApi;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.TestJwts;
import io.github.appusers.testsupport.TestRealm;
import io.github.appusers.testsupport.UserFederation;
import org.junit.jupiter.api.Test;

/** {@code DELETE /me} is the realm's decision, and never for admins or users of a user federation provider. */
class AccountDeletionIT extends IntegrationTest {

    private static final String HS_SECRET = "an-hs256-secret-that-is-long-enough-0123456789";

    private static String login(TestRealm realm, String username) {
        realm.createUser(username, username + "-password");
        return realm.passwordLogin(username, username + "-password").get("access_token").asText();
    }

    private static String guest(TestRealm realm) {
        return expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT)), 200).json()
                .get("access_token").asText();
    }

    private static ApiResponse deleteMe(TestRealm realm, String token) {
        return realm.api().delete(realm.path("/app-users/me"), token);
    }

    private static void assertRefusedAndKept(TestRealm realm, String token, String description) {
        ApiResponse refused = deleteMe(realm, token);
        assertEquals(403, refused.status(), refused.toString());
        assertEquals("forbidden", refused.error());
        assertTrue(refused.json().get("error_description").asText().contains(description), refused.toString());
        expect(realm.api().get(realm.path("/app-users/me"), token), 200);
    }

    private static boolean shownSetting(TestRealm realm) {
        JsonNode shown = expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json()
                .at("/account_deletion/enabled");
        assertTrue(shown.isBoolean(), "GET shows the effective value, never null: " + shown);
        return shown.booleanValue();
    }

    @Test
    void aRealmThatUsesNoFeatureOfOursLetsNoUserDeleteItself() {
        TestRealm realm = TestRealm.create("deletion-none", null);
        String token = login(realm, "plain");
        assertFalse(shownSetting(realm));

        assertRefusedAndKept(realm, token, "not enabled in this realm");
        JsonNode events = expect(realm.admin().get(realm.adminPath("/events?type=DELETE_ACCOUNT_ERROR")), 200).json();
        assertEquals(1, events.size(), events.toString());
        assertEquals("forbidden", events.get(0).get("error").asText());
    }

    @Test
    void aRealmWithAFeatureOnLetsUsersDeleteThemselvesUntilAnAdminTurnsItOff() {
        TestRealm realm = TestRealm.create("deletion-switch", map("anonymous", map("enabled", true,
                "max_per_ip_per_hour", 0)));
        assertTrue(shownSetting(realm));
        expect(deleteMe(realm, guest(realm)), 204);

        expect(realm.updateSettings(map("account_deletion", map("enabled", false))), 200);
        assertFalse(shownSetting(realm));
        String guest = guest(realm);
        assertRefusedAndKept(realm, guest, "not enabled in this realm");

        // null returns to the derived default: on, as the realm has a feature on.
        expect(realm.updateSettings(map("account_deletion", map("enabled", null))), 200);
        assertTrue(shownSetting(realm));
        expect(deleteMe(realm, guest), 204);
    }

    @Test
    void anAdminsChoiceOutlastsTheFeaturesWhileReadModifyWriteDoesNotPinTheDefault() {
        TestRealm realm = TestRealm.create("deletion-derived", null);
        // What kcadm update does: read the settings, change one field, send the whole document back.
        ObjectNode document = (ObjectNode) expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json();
        assertFalse(document.at("/account_deletion/enabled").asBoolean(true));
        ((ObjectNode) document.get("anonymous")).put("enabled", true);
        JsonNode answer = expect(realm.admin().put(realm.adminPath("/app-users/settings"), document), 200).json();
        assertTrue(answer.at("/account_deletion/enabled").asBoolean(), "on with the first feature: " + answer);
        String token = login(realm, "leaver");
        expect(deleteMe(realm, token), 204);

        expect(realm.updateSettings(map("account_deletion", map("enabled", false))), 200);
        expect(realm.updateSettings(map("anonymous", map("enabled", false))), 200);
        expect(realm.updateSettings(map("api_keys", map("enabled", true))), 200);
        assertFalse(shownSetting(realm), "the admin's off stays off as features come and go");
        assertRefusedAndKept(realm, login(realm, "stayer"), "not enabled in this realm");
    }

    @Test
    void usersWithAdminRolesCannotDeleteThemselves() {
        TestRealm realm = TestRealm.create("deletion-admins", map("anonymous", map("enabled", true)));
        AdminApi admin = realm.admin();
        expect(admin.post(realm.adminPath("/roles"), map("name", "admin")), 201);
        JsonNode appAdmin = expect(admin.get(realm.adminPath("/roles/admin")), 200).json();
        String bossToken = login(realm, "boss");
        String bossId = sub(bossToken);
        expect(admin.post(realm.adminPath("/users/" + bossId + "/role-mappings/realm"), List.of(appAdmin)), 204);

        String clientId = expect(admin.get(realm.adminPath("/clients?clientId=realm-management")), 200).json().get(0)
                .get("id").asText();
        JsonNode viewUsers = expect(admin.get(realm.adminPath("/clients/" + clientId + "/roles/view-users")), 200).json();
        String helperToken = login(realm, "helper");
        expect(admin.post(realm.adminPath("/users/" + sub(helperToken) + "/role-mappings/clients/" + clientId),
                List.of(viewUsers)), 204);

        // Roles are read at the call: the tokens from before the grants are refused too.
        assertRefusedAndKept(realm, bossToken, "admin roles");
        assertRefusedAndKept(realm, helperToken, "admin roles");
        expect(deleteMe(realm, login(realm, "staff")), 204);
    }

    @Test
    void usersOfAUserFederationProviderCannotDeleteThemselves() throws Exception {
        TestRealm realm = TestRealm.create("deletion-federation", map("custom_token", map("enabled", true,
                "issuer", "https://issuer.example", "audience", "deletion", "hs256_secret", HS_SECRET)));
        AdminApi admin = realm.admin();
        String userId = realm.createUser("ldap-ann", "ldap-ann-password");
        expect(admin.post(realm.adminPath("/app-users/users/" + userId + "/identities"),
                map("provider_type", "custom-token", "id", "ext-ann")), 201);
        UserFederation.create(realm).link(userId);

        long now = System.currentTimeMillis() / 1000;
        String jwt = TestJwts.hs256(HS_SECRET, map("sub", "ext-ann", "iat", now, "exp", now + 300,
                "iss", "https://issuer.example", "aud", "deletion"));
        String token = expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:custom-token", "client_id", TestRealm.APP_CLIENT, "token", jwt)), 200).json()
                .get("access_token").asText();
        assertEquals(userId, sub(token));

        assertRefusedAndKept(realm, token, "user federation");
        expect(admin.get(realm.adminPath("/users/" + userId)), 200);
    }

    @Test
    void theMasterRealmNeverLetsUsersDeleteThemselvesWhateverItsSettingSays() {
        AdminApi admin = admin();
        String username = "deletion-master-" + System.nanoTime();
        ApiResponse created = expect(admin.post("/realms/master/users", map("username", username, "enabled", true,
                "email", username + "@example.test", "emailVerified", true, "firstName", "Master", "lastName", "User",
                "credentials", List.of(map("type", "password", "value", "master-password", "temporary", false)))), 201);
        String location = created.header("Location");
        String userId = location.substring(location.lastIndexOf('/') + 1);
        try {
            expect(admin.put("/realms/master/app-users/settings", map("account_deletion", map("enabled", true))), 200);
            assertFalse(expect(admin.get("/realms/master/app-users/settings"), 200).json()
                    .at("/account_deletion/enabled").asBoolean(true), "master shows it off whatever is stored");
            String token = expect(api().postForm("/realms/master/protocol/openid-connect/token", null, Api.form(
                    "grant_type", "password", "client_id", "admin-cli", "username", username,
                    "password", "master-password")), 200).json().get("access_token").asText();
            ApiResponse refused = api().delete("/realms/master/app-users/me", token);
            assertEquals(403, refused.status(), refused.toString());
            assertEquals("forbidden", refused.error());
            expect(admin.get("/realms/master/users/" + userId), 200);
        } finally {
            admin.put("/realms/master/app-users/settings", map("account_deletion", map("enabled", null)));
            admin.delete("/realms/master/users/" + userId);
        }
    }

    private static String sub(String token) {
        return Jwt.claims(token).get("sub").asText();
    }
}
