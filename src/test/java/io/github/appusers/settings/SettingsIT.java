package io.github.appusers.settings;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsIT extends IntegrationTest {

    @Test
    void aNewRealmHasEveryFeatureOffAndTheDefaultsFilledIn() {
        TestRealm realm = TestRealm.create("settings-defaults", null);
        JsonNode settings = expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json();
        assertFalse(settings.at("/anonymous/enabled").asBoolean(true));
        assertEquals(100, settings.at("/anonymous/max_per_ip_per_hour").asInt());
        assertEquals(30, settings.at("/anonymous/purge_inactive_days").asInt());
        assertEquals("email", settings.at("/email_password/confirmation").asText());
        assertTrue(settings.at("/email_password/confirmation_url").isNull());
        assertEquals(1800, settings.at("/email_password/token_ttl_seconds").asInt());
        assertEquals(16384, settings.at("/custom_data/max_bytes").asInt());
        assertEquals(20, settings.at("/api_keys/max_per_user").asInt());
        assertEquals(300, settings.at("/recent_login_seconds").asInt());
        assertTrue(settings.at("/custom_token/metadata").isArray());
        assertFalse(hasAppUsersScope(realm), "no client scope while every feature is off");
    }

    @Test
    void putMergesSectionsAndFieldsIntoTheCurrentSettings() {
        TestRealm realm = TestRealm.create("settings-merge", null);
        expect(realm.updateSettings(map("anonymous", map("enabled", true, "max_per_ip_per_hour", 7))), 200);
        JsonNode second = expect(realm.updateSettings(map("anonymous", map("purge_inactive_days", 3),
                "recent_login_seconds", 60)), 200).json();

        assertTrue(second.at("/anonymous/enabled").asBoolean());
        assertEquals(7, second.at("/anonymous/max_per_ip_per_hour").asInt());
        assertEquals(3, second.at("/anonymous/purge_inactive_days").asInt());
        assertEquals(60, second.at("/recent_login_seconds").asInt());
        assertEquals(second, expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"nonsense\": {}}",
            "{\"anonymous\": {\"enabled\": true, \"colour\": \"red\"}}",
            "{\"anonymous\": {\"enabled\": \"yes\"}}",
            "{\"anonymous\": {\"enabled\": 1}}",
            "{\"anonymous\": {\"max_per_ip_per_hour\": \"100\"}}",
            "{\"anonymous\": {\"max_per_ip_per_hour\": 1.5}}",
            "{\"anonymous\": {\"max_per_ip_per_hour\": -1}}",
            "{\"anonymous\": true}",
            "{\"anonymous\": null}",
            "{\"recent_login_seconds\": null}",
            "{\"email_password\": {\"confirmation\": \"carrier-pigeon\"}}",
            "{\"email_password\": {\"confirmation\": \"function\"}}",
            "{\"email_password\": {\"confirmation_url\": \"not a url\"}}",
            "{\"email_password\": {\"confirmation_url\": 5}}",
            "{\"custom_token\": {\"metadata\": [{\"claim\": \"name\"}]}}",
            "{\"custom_token\": {\"metadata\": \"name\"}}",
            "[]",
            "\"anonymous\"",
            "{\"anonymous\": {\"enabled\": tr",
            ""
    })
    void refusesUnknownFieldsWrongTypesAndBrokenJsonAndChangesNothing(String body) {
        TestRealm realm = refusalRealm();
        JsonNode before = expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json();

        ApiResponse refused = realm.api().send("PUT", "/admin" + realm.adminPath("/app-users/settings"),
                realm.admin().token(), "application/json", body);

        assertEquals(400, refused.status(), refused.toString());
        assertEquals("invalid_request", refused.error());
        assertNotNull(refused.json().get("error_description"));
        assertEquals(before, expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json());
    }

    @Test
    void aModeThatIsNoneOfItsNamesIsRefusedWithTheNames() {
        TestRealm realm = refusalRealm();
        ApiResponse refused = realm.api().send("PUT", "/admin" + realm.adminPath("/app-users/settings"),
                realm.admin().token(), "application/json", "{\"email_password\": {\"confirmation\": \"carrier-pigeon\"}}");
        assertEquals(400, refused.status(), refused.toString());
        assertEquals("invalid_request", refused.error());
        assertEquals("setting 'email_password.confirmation' must be one of [auto, email, function]",
                refused.json().get("error_description").asText());
        ApiResponse reset = realm.api().send("PUT", "/admin" + realm.adminPath("/app-users/settings"),
                realm.admin().token(), "application/json", "{\"email_password\": {\"reset\": \"sms\"}}");
        assertEquals("setting 'email_password.reset' must be one of [email, function]",
                reset.json().get("error_description").asText());
    }

    private static TestRealm refusalRealm;

    private static synchronized TestRealm refusalRealm() {
        if (refusalRealm == null) {
            refusalRealm = TestRealm.create("settings-refusal", null);
            expect(refusalRealm.updateSettings(map("anonymous", map("enabled", true, "max_per_ip_per_hour", 42))), 200);
        }
        return refusalRealm;
    }

    @Test
    void settingsAreRealmConfigurationReadWithViewRealmAndWrittenWithManageRealm() {
        TestRealm realm = TestRealm.create("settings-perms", null);
        String viewer = realm.realmAdminToken("viewer", "view-realm");
        String manager = realm.realmAdminToken("manager", "manage-realm");
        String usersManager = realm.realmAdminToken("usersmanager", "manage-users");
        String nobody = realm.realmAdminToken("nobody", null);
        String path = "/admin" + realm.adminPath("/app-users/settings");
        Map<String, Object> patch = map("anonymous", map("enabled", true));

        assertEquals(200, realm.api().get(path, viewer).status());
        assertEquals(403, realm.api().putJson(path, viewer, patch).status());
        assertEquals(403, realm.api().get(path, usersManager).status(), "users' admins do not configure the realm");
        assertEquals(403, realm.api().putJson(path, usersManager, patch).status());
        assertEquals(403, realm.api().get(path, nobody).status());
        assertEquals(401, realm.api().get(path, null).status());
        assertFalse(expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json()
                .at("/anonymous/enabled").asBoolean(), "refused writes change nothing");
        assertEquals(200, realm.api().putJson(path, manager, patch).status());
        assertTrue(expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json()
                .at("/anonymous/enabled").asBoolean());
    }

    @Test
    void enablingAFeatureAddsTheAppUsersScopeAndItsClaimReachesTokens() {
        TestRealm realm = TestRealm.create("settings-scope", null);
        realm.createUser("alice", "alice-password");
        assertFalse(Jwt.claims(realm.passwordLogin("alice", "alice-password").get("access_token").asText())
                .has("is_anonymous"));

        expect(realm.updateSettings(map("anonymous", map("enabled", true))), 200);
        expect(realm.updateSettings(map("anonymous", map("enabled", true))), 200); // idempotent

        assertTrue(hasAppUsersScope(realm));
        JsonNode defaults = expect(realm.admin().get(realm.adminPath("/default-default-client-scopes")), 200).json();
        assertTrue(names(defaults).contains("app-users"));
        JsonNode tokens = realm.passwordLogin("alice", "alice-password");
        assertFalse(Jwt.claims(tokens.get("access_token").asText()).get("is_anonymous").asBoolean(true));
        assertTrue(Jwt.claims(tokens.get("id_token").asText()).get("is_anonymous").isBoolean());
        JsonNode scopes = expect(realm.admin().get(realm.adminPath("/client-scopes")), 200).json();
        long appUsersScopes = 0;
        for (JsonNode scope : scopes) {
            if ("app-users".equals(scope.get("name").asText())) {
                appUsersScopes++;
                assertEquals(3, scope.get("protocolMappers").size(), "is_anonymous, identities and custom_data");
            }
        }
        assertEquals(1, appUsersScopes);
    }

    @Test
    void settingsTravelWithTheRealmThroughExportAndImport() {
        Map<String, Object> settings = map("anonymous", map("enabled", true, "max_per_ip_per_hour", 5),
                "custom_data", map("user_writable", true));
        TestRealm imported = TestRealm.create("settings-import", settings);

        JsonNode read = expect(imported.admin().get(imported.adminPath("/app-users/settings")), 200).json();
        assertTrue(read.at("/anonymous/enabled").asBoolean());
        assertEquals(5, read.at("/anonymous/max_per_ip_per_hour").asInt());
        assertTrue(read.at("/custom_data/user_writable").asBoolean());
        assertTrue(hasAppUsersScope(imported), "an imported realm with features on gets the scope");

        JsonNode export = expect(imported.admin().post(imported.adminPath("/partial-export"), null), 200).json();
        String exported = export.at("/attributes/app-users.settings").asText();
        assertTrue(exported.contains("\"max_per_ip_per_hour\":5"), exported);
    }

    private static boolean hasAppUsersScope(TestRealm realm) {
        return names(expect(realm.admin().get(realm.adminPath("/client-scopes")), 200).json()).contains("app-users");
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new java.util.ArrayList<>();
        array.forEach(node -> names.add(node.get("name").asText()));
        return names;
    }
}
