package io.github.appusers.rest;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JSON endpoints take JSON only: a body sent as {@code text/plain}, as a form, or with no
 * {@code Content-Type} at all (what a cross-site {@code fetch} with a Blob body sends, with no
 * preflight) is refused with {@code 415 unsupported_media_type} and changes nothing.
 */
class JsonContentTypeIT extends IntegrationTest {

    /** The content types a third-party page can send without a CORS preflight, and none at all. */
    private static final List<String> NOT_JSON = Arrays.asList("text/plain", "application/x-www-form-urlencoded",
            "text/plain;charset=UTF-8", null);

    private static TestRealm realm;

    @BeforeAll
    static void setUp() {
        realm = TestRealm.create("json-only", map(
                "anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                "email_password", map("enabled", true, "confirmation", "auto", "max_requests_per_ip_per_hour", 0),
                "custom_data", map("user_writable", true)));
        realm.relaxUserProfile();
    }

    private static String guestToken() {
        return expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT)), 200).json()
                .get("access_token").asText();
    }

    /** Sends {@code body} with every non-JSON type; each is refused and {@code state} stays as it was. */
    private static void refusedAndNothingChanges(String method, String path, String bearer, String body,
            Supplier<Object> state) {
        Object before = state.get();
        for (String type : NOT_JSON) {
            ApiResponse refused = realm.api().send(method, path, bearer, type, body);
            assertEquals(415, refused.status(), "Content-Type " + type + ": " + refused);
            assertEquals("unsupported_media_type", refused.error());
            assertEquals(true, refused.json().path("error_description").isTextual());
            assertEquals(before, state.get(), "Content-Type " + type + " changed something");
        }
    }

    private static long usersWithEmail(String email) {
        return expect(realm.admin().get(realm.adminPath("/users?exact=true&email=" + email)), 200).json().size();
    }

    @Test
    void registration() {
        String email = "json-only-" + System.nanoTime() + "@example.test";
        String body = Api.toJson(map("email", email, "password", "json-only-password"));
        refusedAndNothingChanges("POST", realm.path("/app-users/email-password/register"), null, body,
                () -> usersWithEmail(email));
        assertEquals(0, usersWithEmail(email));
        expect(realm.api().send("POST", realm.path("/app-users/email-password/register"), null, "application/json", body),
                202);
        assertEquals(1, usersWithEmail(email));
    }

    @Test
    void settings() {
        String path = "/admin" + realm.adminPath("/app-users/settings");
        Supplier<Object> settings = () -> expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json();
        refusedAndNothingChanges("PUT", path, realm.admin().token(), "{\"api_keys\": {\"enabled\": true}}", settings);
        JsonNode saved = expect(realm.api().send("PUT", path, realm.admin().token(), "application/json",
                "{\"api_keys\": {\"enabled\": true}}"), 200).json();
        assertEquals(true, saved.at("/api_keys/enabled").asBoolean());
    }

    @Test
    void customData() {
        String token = guestToken();
        String path = realm.path("/app-users/me/custom-data");
        expect(realm.api().putJson(path, token, map("plan", "free")), 200);
        Supplier<Object> data = () -> expect(realm.api().get(path, token), 200).body();
        refusedAndNothingChanges("PUT", path, token, "{\"plan\": \"stolen\"}", data);
        refusedAndNothingChanges("PATCH", path, token, "{\"plan\": \"stolen\"}", data);
        // JSON types are still welcome: application/json and the merge-patch type.
        expect(realm.api().send("PATCH", path, token, "application/merge-patch+json", "{\"plan\": \"gold\"}"), 200);
        assertEquals("{\"plan\":\"gold\"}", data.get());
    }

    @Test
    void linking() {
        String token = guestToken();
        String path = realm.path("/app-users/me/identities");
        Supplier<Object> identities = () -> expect(realm.api().get(path, token), 200).json();
        String email = "json-link-" + System.nanoTime() + "@example.test";
        String body = Api.toJson(map("type", "email-password", "email", email, "password", "json-link-password"));
        refusedAndNothingChanges("POST", path, token, body, identities);
        assertEquals(0, usersWithEmail(email));
        expect(realm.api().send("POST", path, token, "application/json", body), 201);
        assertEquals(2, expect(realm.api().get(path, token), 200).json().size());
    }

    @Test
    void aBodilessCallThatReadsNoBodyIsUnaffected() {
        ApiResponse purge = realm.api().send("POST", "/admin" + realm.adminPath("/app-users/anonymous/purge?inactive_days=30"),
                realm.admin().token(), null, null);
        assertEquals(200, purge.status(), purge.toString());
    }
}
