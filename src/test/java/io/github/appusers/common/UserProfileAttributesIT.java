package io.github.appusers.common;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.Database;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.TestJwts;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * User-written data stays data: custom data, login function answers and external JWT claims never
 * reach an attribute that the realm's user profile keeps from users.
 */
class UserProfileAttributesIT extends IntegrationTest {

    private static final String FUNCTION_SECRET = "a-function-secret-of-some-length";
    private static final String HS_SECRET = "an-hs256-secret-that-is-long-enough-0123456789";
    private static final String UP_PROVIDER = "org.keycloak.userprofile.UserProfileProvider";
    private static FunctionServer functions;

    @BeforeAll
    static void startFunctions() throws Exception {
        functions = new FunctionServer(FUNCTION_SECRET).on("/login", body -> Answer.json(map(
                "id", body.at("/payload/user").asText(), "name", "Fn User",
                "attributes", map("tier", "platinum", "team", "blue"))));
    }

    @AfterAll
    static void stopFunctions() {
        functions.close();
    }

    /** The realm's user profile with {@code name} declared, editable by {@code editors} (view: admins and users). */
    private static ObjectNode profileDeclaring(ObjectNode profile, String name, String... editors) {
        ArrayNode attributes = (ArrayNode) profile.get("attributes");
        for (int i = attributes.size() - 1; i >= 0; i--) {
            if (name.equals(attributes.get(i).get("name").asText())) {
                attributes.remove(i);
            }
        }
        ObjectNode attribute = attributes.addObject().put("name", name).put("displayName", name).put("multivalued", false);
        ObjectNode permissions = attribute.putObject("permissions");
        permissions.putArray("view").add("admin").add("user");
        ArrayNode edit = permissions.putArray("edit");
        for (String editor : editors) {
            edit.add(editor);
        }
        return profile;
    }

    private static ApiResponse putSettings(TestRealm realm, Object copyToAttributes) {
        return realm.updateSettings(map("custom_data", map("copy_to_attributes", copyToAttributes)));
    }

    private static long attributeRows(String userId, String name) {
        return Database.count("SELECT COUNT(*) FROM USER_ATTRIBUTE WHERE USER_ID = ? AND NAME = ?", userId, name);
    }

    private static String attribute(TestRealm realm, String userId, String name) {
        return expect(realm.admin().get(realm.adminPath("/users/" + userId)), 200).json().at("/attributes/" + name + "/0")
                .asText(null);
    }

    private static JsonNode guest(TestRealm realm) {
        return expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT)), 200).json();
    }

    @Test
    void copyToAttributesTakesOnlyAttributesTheUserProfileLetsUsersEdit() {
        TestRealm realm = TestRealm.create("profile-settings", map("anonymous", map("enabled", true)));
        realm.declareAttribute("tier", "admin");
        realm.declareAttribute("lang", "admin", "user");

        ApiResponse undeclared = putSettings(realm, List.of("lang", "plan"));
        assertEquals(400, undeclared.status(), undeclared.toString());
        assertEquals("invalid_request", undeclared.error());
        assertEquals("setting 'custom_data.copy_to_attributes': attribute 'plan' is not declared in the realm's user"
                + " profile", undeclared.json().get("error_description").asText());
        ApiResponse readOnly = putSettings(realm, List.of("tier"));
        assertEquals(400, readOnly.status(), readOnly.toString());
        assertEquals("setting 'custom_data.copy_to_attributes': attribute 'tier' is read-only for users in the realm's"
                + " user profile", readOnly.json().get("error_description").asText());
        assertEquals(0, expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json()
                .at("/custom_data/copy_to_attributes").size(), "a refused write changes nothing");

        expect(putSettings(realm, List.of("lang")), 200);

        // The admin console tab saves through its component: the same rule.
        JsonNode tab = expect(realm.admin().get(realm.adminPath("/components?type="
                + "org.keycloak.services.ui.extend.UiTabProvider&name=App%20users")), 200).json().get(0);
        ((ObjectNode) tab.get("config")).putArray("custom_data-copy_to_attributes").add("lang").add("tier");
        ApiResponse tabSave = realm.admin().put(realm.adminPath("/components/" + tab.get("id").asText()), tab);
        assertEquals(400, tabSave.status(), tabSave.toString());
        assertTrue(tabSave.body().contains("attribute 'tier' is read-only for users"), tabSave.toString());
        assertEquals(List.of("lang"), Api.JSON.convertValue(expect(realm.admin().get(realm.adminPath(
                "/app-users/settings")), 200).json().at("/custom_data/copy_to_attributes"), List.class));
    }

    @Test
    void aRealmImportNamingAnAttributeItsUserProfileLacksIsRefused() {
        String settings = Api.toJson(map("custom_data", map("copy_to_attributes", List.of("lang"))));
        String refusedName = "profile-import-" + UUID.randomUUID().toString().substring(0, 8);
        ApiResponse refused = admin().post("/realms", map("realm", refusedName, "enabled", true,
                "attributes", map("app-users.settings", settings)));
        assertEquals(400, refused.status(), refused.toString());
        assertEquals("invalid_request", refused.error());
        assertTrue(refused.json().get("error_description").asText().contains("attribute 'lang' is not declared"),
                refused.toString());
        assertEquals(404, admin().get("/realms/" + refusedName).status(), "the realm was not created");

        // The same settings with a user profile that declares the attribute for users.
        TestRealm template = TestRealm.create("profile-template", null);
        ObjectNode profile = profileDeclaring((ObjectNode) expect(template.admin().get(template.adminPath(
                "/users/profile")), 200).json(), "lang", "admin", "user");
        String acceptedName = "profile-import-" + UUID.randomUUID().toString().substring(0, 8);
        expect(admin().post("/realms", map("realm", acceptedName, "enabled", true,
                "attributes", map("app-users.settings", settings),
                "components", map(UP_PROVIDER, List.of(map("providerId", "declarative-user-profile",
                        "subComponents", Map.of(), "config", map("kc.user.profile.config",
                                List.of(Api.toJson(profile)))))))), 201);
        assertEquals("lang", expect(admin().get("/realms/" + acceptedName + "/app-users/settings"), 200).json()
                .at("/custom_data/copy_to_attributes/0").asText());
        expect(admin().delete("/realms/" + acceptedName), 204);
    }

    @Test
    void anAttributeTheProfileLaterKeepsFromUsersIsNoLongerCopied() {
        TestRealm realm = TestRealm.create("profile-later", map("anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                "custom_data", map("user_writable", true)));
        realm.declareAttribute("lang", "admin", "user");
        expect(putSettings(realm, List.of("lang")), 200);
        String token = guest(realm).get("access_token").asText();
        String userId = Jwt.claims(token).get("sub").asText();
        String customData = realm.path("/app-users/me/custom-data");

        expect(realm.api().putJson(customData, token, map("lang", "de")), 200);
        assertEquals("de", attribute(realm, userId, "lang"));

        realm.declareAttribute("lang", "admin");
        expect(realm.api().putJson(customData, token, map("lang", "fr")), 200);
        assertEquals("fr", expect(realm.api().get(customData, token), 200).json().get("lang").asText(),
                "the custom data is written");
        assertEquals("de", attribute(realm, userId, "lang"), "the admin-only attribute is not");
        expect(realm.api().putJson(customData, token, map("other", 1)), 200);
        assertEquals("de", attribute(realm, userId, "lang"), "nor removed");
    }

    @Test
    void aLoginFunctionAnswerCannotSetAnAttributeTheProfileKeepsFromUsers() {
        TestRealm realm = TestRealm.create("profile-function", map("custom_function", map("enabled", true)));
        realm.declareAttribute("tier", "admin");
        expect(realm.admin().put(realm.adminPath("/app-users/functions/login"), map("kind", "login",
                "url", functions.url("/login"), "secret", FUNCTION_SECRET)), 200);

        JsonNode tokens = expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:custom-function", "client_id", TestRealm.APP_CLIENT, "function", "login",
                "payload", "{\"user\": \"fn-1\"}")), 200).json();
        String userId = Jwt.claims(tokens.get("access_token").asText()).get("sub").asText();

        assertEquals(0, attributeRows(userId, "tier"), "declared, admins only: not written");
        assertEquals(1, attributeRows(userId, "team"), "not declared: written as before");
        assertEquals("Fn User", expect(realm.admin().get(realm.adminPath("/users/" + userId)), 200).json()
                .get("firstName").asText(), "users may edit their first name: written");
    }

    @Test
    void customTokenMetadataCannotSetAnAttributeTheProfileKeepsFromUsers() throws Exception {
        TestRealm realm = TestRealm.create("profile-token", map("custom_token", map("enabled", true,
                "issuer", "https://issuer.example", "audience", "profile", "hs256_secret", HS_SECRET, "metadata", List.of(map("claim", "tier", "attribute", "tier"),
                        map("claim", "team", "attribute", "team"), map("claim", "family", "attribute", "lastName")))));
        realm.declareAttribute("tier", "admin");
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> claims = map("sub", "jwt-1", "iat", now, "exp", now + 300, "iss", "https://issuer.example",
                "aud", "profile", "tier", "platinum",
                "team", "blue", "family", "Doe");
        String login = "urn:app-users:grant-type:custom-token";
        JsonNode tokens = expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", login,
                "client_id", TestRealm.APP_CLIENT, "token", TestJwts.hs256(HS_SECRET, claims))), 200).json();
        String userId = Jwt.claims(tokens.get("access_token").asText()).get("sub").asText();
        assertEquals(0, attributeRows(userId, "tier"));
        assertEquals(1, attributeRows(userId, "team"));
        assertEquals("Doe", expect(realm.admin().get(realm.adminPath("/users/" + userId)), 200).json()
                .get("lastName").asText());

        // Later logins update the mapped fields: still never the admin-only one.
        ObjectNode user = (ObjectNode) expect(realm.admin().get(realm.adminPath("/users/" + userId)), 200).json();
        user.with("attributes").putArray("tier").add("basic");
        expect(realm.admin().put(realm.adminPath("/users/" + userId), user), 204);
        expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", login,
                "client_id", TestRealm.APP_CLIENT, "token", TestJwts.hs256(HS_SECRET, claims))), 200);
        assertEquals("basic", attribute(realm, userId, "tier"));
    }
}
