package io.github.appusers.customdata;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.Database;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CustomDataIT extends IntegrationTest {

    private static TestRealm realm;

    @BeforeAll
    static void setUp() {
        realm = TestRealm.create("custom-data", map("anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                "custom_data", map("user_writable", true, "max_bytes", 200)));
        // Copied attributes must be ones the user profile lets users edit.
        realm.declareAttribute("lang", "admin", "user");
        expect(realm.updateSettings(map("custom_data", map("copy_to_attributes", List.of("lang")))), 200);
    }

    private static JsonNode guest(TestRealm realm) {
        return expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT, "scope", "openid")), 200).json();
    }

    private static String path() {
        return realm.path("/app-users/me/custom-data");
    }

    private static ApiResponse write(String method, String token, String body, String ifMatch) {
        return realm.api().send(method, path(), token, "PATCH".equals(method) ? "application/merge-patch+json"
                : "application/json", body, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
    }

    @Test
    void roundTripsWithEtagsAndMergePatch() {
        String token = guest(realm).get("access_token").asText();
        ApiResponse empty = expect(realm.api().get(path(), token), 200);
        assertEquals("{}", empty.body());
        assertEquals("\"v0\"", empty.header("ETag"));

        ApiResponse put = expect(write("PUT", token, "{\"lang\":\"de\",\"prefs\":{\"tz\":\"Europe/Berlin\",\"dark\":true}}",
                null), 200);
        assertEquals("\"v1\"", put.header("ETag"));
        ApiResponse patched = expect(write("PATCH", token, "{\"prefs\":{\"dark\":null,\"size\":3},\"lang\":null}",
                "\"v1\""), 200);
        assertEquals("{\"prefs\":{\"tz\":\"Europe/Berlin\",\"size\":3}}", patched.body());
        assertEquals("\"v2\"", patched.header("ETag"));

        ApiResponse stale = write("PATCH", token, "{\"x\":1}", "\"v1\"");
        assertEquals(412, stale.status());
        assertEquals("precondition_failed", stale.error());
        assertEquals(patched.body(), expect(realm.api().get(path(), token), 200).body());
        JsonNode me = expect(realm.api().get(realm.path("/app-users/me"), token), 200).json();
        assertEquals(3, me.at("/custom_data/prefs/size").asInt());
    }

    @Test
    void theClaimFollowsTheDataAfterARefreshAndIsOmittedWhenEmpty() {
        JsonNode tokens = guest(realm);
        assertFalse(Jwt.claims(tokens.get("access_token").asText()).has("custom_data"));
        expect(write("PUT", tokens.get("access_token").asText(), "{\"plan\":\"gold\"}", null), 200);
        JsonNode refreshed = expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "refresh_token", "client_id", TestRealm.APP_CLIENT, "refresh_token", tokens.get("refresh_token").asText())),
                200).json();
        assertEquals("gold", Jwt.claims(refreshed.get("access_token").asText()).at("/custom_data/plan").asText());
        assertEquals("gold", Jwt.claims(refreshed.get("id_token").asText()).at("/custom_data/plan").asText());
    }

    @Test
    void limitsAndBadBodiesChangeNothing() {
        String token = guest(realm).get("access_token").asText();
        expect(write("PUT", token, "{\"keep\":1}", null), 200);
        ApiResponse tooBig = write("PUT", token, "{\"pad\":\"" + "x".repeat(300) + "\"}", null);
        assertEquals(413, tooBig.status());
        assertEquals("payload_too_large", tooBig.error());
        ApiResponse tooBigByPatch = write("PATCH", token, "{\"pad\":\"" + "x".repeat(300) + "\"}", null);
        assertEquals(413, tooBigByPatch.status());
        for (String bad : List.of("[1,2]", "\"text\"", "{\"broken\": ", "")) {
            ApiResponse refused = write("PUT", token, bad, null);
            assertEquals(400, refused.status(), bad + " -> " + refused);
            assertEquals("invalid_request", refused.error());
        }
        assertEquals("{\"keep\":1}", expect(realm.api().get(path(), token), 200).body());
    }

    @Test
    void usersWriteOnlyWhereTheRealmAllowsAdminsAlways() {
        TestRealm readOnly = TestRealm.create("custom-data-ro", map("anonymous", map("enabled", true)));
        JsonNode tokens = guest(readOnly);
        String token = tokens.get("access_token").asText();
        String id = Jwt.claims(token).get("sub").asText();
        ApiResponse refused = readOnly.api().putJson(readOnly.path("/app-users/me/custom-data"), token, map("a", 1));
        assertEquals(403, refused.status());
        assertEquals("forbidden", refused.error());
        expect(readOnly.admin().put(readOnly.adminPath("/app-users/users/" + id + "/custom-data"), map("tier", "paid")), 200);
        JsonNode adminRead = expect(readOnly.admin().get(readOnly.adminPath("/app-users/users/" + id + "/custom-data")), 200)
                .json();
        assertEquals("paid", adminRead.get("tier").asText());
        assertEquals("paid", expect(readOnly.api().get(readOnly.path("/app-users/me/custom-data"), token), 200).json()
                .get("tier").asText());
    }

    @Test
    void chosenFieldsAreCopiedToUserAttributesForSearch() {
        String token = guest(realm).get("access_token").asText();
        String id = Jwt.claims(token).get("sub").asText();
        String lang = "xx" + System.nanoTime();
        expect(write("PUT", token, "{\"lang\":\"" + lang + "\",\"other\":\"not copied\"}", null), 200);
        JsonNode found = expect(realm.admin().get(realm.adminPath("/users?q=lang:" + lang)), 200).json();
        assertEquals(1, found.size());
        assertEquals(id, found.get(0).get("id").asText());
        assertEquals(0, Database.count("SELECT COUNT(*) FROM USER_ATTRIBUTE WHERE USER_ID = ? AND NAME = 'other'", id));
    }

    @Test
    void theDocumentGoesWithItsUser() {
        JsonNode tokens = guest(realm);
        String id = Jwt.claims(tokens.get("access_token").asText()).get("sub").asText();
        expect(write("PUT", tokens.get("access_token").asText(), "{\"a\":1}", null), 200);
        assertEquals(1, Database.count("SELECT COUNT(*) FROM APP_USERS_CUSTOM_DATA WHERE USER_ID = ?", id));
        expect(realm.admin().delete(realm.adminPath("/users/" + id)), 204);
        assertEquals(0, Database.count("SELECT COUNT(*) FROM APP_USERS_CUSTOM_DATA WHERE USER_ID = ?", id));
    }

    @Test
    void concurrentConditionalWritersNeverLoseAnUpdate() throws Exception {
        String token = guest(realm).get("access_token").asText();
        ApiResponse base = expect(write("PUT", token, "{\"n\":0}", null), 200);
        String etag = base.header("ETag");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<ApiResponse>> results = new ArrayList<>();
        try {
            for (int i = 1; i <= 10; i++) {
                String body = "{\"n\":" + i + "}";
                results.add(pool.submit(() -> {
                    start.await();
                    return write("PATCH", token, body, etag);
                }));
            }
            start.countDown();
            int won = 0;
            String winner = null;
            for (Future<ApiResponse> result : results) {
                ApiResponse response = result.get();
                if (response.status() == 200) {
                    won++;
                    winner = response.body();
                } else {
                    assertEquals(412, response.status(), response.toString());
                }
            }
            assertEquals(1, won);
            assertEquals(winner, expect(realm.api().get(path(), token), 200).body());
        } finally {
            pool.shutdownNow();
        }
        // Unconditional patches from many writers all land (each re-applied to the latest document).
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ApiResponse>> patches = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(5);
        try {
            for (int i = 0; i < 5; i++) {
                String body = "{\"k" + i + "\":true}";
                patches.add(writers.submit(() -> {
                    go.await();
                    return write("PATCH", token, body, null);
                }));
            }
            go.countDown();
            for (Future<ApiResponse> patch : patches) {
                assertEquals(200, patch.get().status(), patch.get().toString());
            }
        } finally {
            writers.shutdownNow();
        }
        JsonNode finalDoc = expect(realm.api().get(path(), token), 200).json();
        for (int i = 0; i < 5; i++) {
            assertTrue(finalDoc.get("k" + i).asBoolean(), finalDoc.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "PATCH"})
    void withoutATokenThereIsNothing(String method) {
        ApiResponse response = realm.api().send(method, path(), null, "application/json", "GET".equals(method) ? null : "{}");
        assertEquals(401, response.status());
        assertEquals("invalid_token", response.error());
    }
}
