package io.github.appusers.rest;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CORS on the user's endpoints: preflights are answered, requests from the client's web origins
 * get the headers a browser needs (and may read the ETag), other origins are refused before
 * anything happens.
 */
class BrowserCorsIT extends IntegrationTest {

    private static final String APP_ORIGIN = "http://localhost:7777";
    private static final String OTHER_ORIGIN = "http://evil.example";
    private static TestRealm realm;
    private static String token;

    @BeforeAll
    static void realmWithAWebOrigin() {
        realm = TestRealm.create("cors", map("custom_data", map("user_writable", true)), map("clients", List.of(
                map("clientId", TestRealm.APP_CLIENT, "publicClient", true, "standardFlowEnabled", true,
                        "directAccessGrantsEnabled", true, "redirectUris", List.of(APP_ORIGIN + "/*"),
                        "webOrigins", List.of(APP_ORIGIN)))));
        realm.createUser("cora", "cora-password");
        token = realm.passwordLogin("cora", "cora-password").get("access_token").asText();
        assertEquals(APP_ORIGIN, Jwt.claims(token).at("/allowed-origins/0").asText());
    }

    private static ApiResponse preflight(String path, String method, String headers) {
        return realm.api().send("OPTIONS", realm.path(path), null, null, null, Map.of("Origin", APP_ORIGIN,
                "Access-Control-Request-Method", method, "Access-Control-Request-Headers", headers));
    }

    /** Every value of a list header, lower case (a header may come as several field lines). */
    private static List<String> listHeader(ApiResponse response, String name) {
        return response.headers().allValues(name).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(value -> value.trim().toLowerCase(Locale.ROOT))
                .filter(value -> !value.isEmpty())
                .collect(Collectors.toList());
    }

    @Test
    void preflightsAllowTheMethodsAndHeadersTheEndpointsNeed() {
        for (String path : List.of("/app-users/me", "/app-users/me/custom-data", "/app-users/me/api-keys/some-id/disable",
                "/app-users/me/identities/anon-user/x", "/app-users/functions/hello")) {
            ApiResponse answer = preflight(path, "PATCH", "authorization, content-type, if-match");
            assertEquals(200, answer.status(), path + ": " + answer);
            assertEquals(APP_ORIGIN, answer.header("Access-Control-Allow-Origin"), path);
            assertTrue(listHeader(answer, "Access-Control-Allow-Methods").containsAll(
                    List.of("get", "post", "put", "patch", "delete")), path + ": " + answer.headers());
            assertTrue(listHeader(answer, "Access-Control-Allow-Headers").containsAll(
                    List.of("authorization", "content-type", "if-match")), path + ": " + answer.headers());
        }
    }

    @Test
    void theAppsOriginGetsTheAnswerAndMayReadTheEtag() {
        ApiResponse answer = realm.api().send("GET", realm.path("/app-users/me/custom-data"), token, null, null,
                Map.of("Origin", APP_ORIGIN));
        assertEquals(200, answer.status(), answer.toString());
        assertEquals(APP_ORIGIN, answer.header("Access-Control-Allow-Origin"));
        assertTrue(listHeader(answer, "Access-Control-Expose-Headers").contains("etag"), answer.headers().toString());
        assertTrue(answer.header("ETag") != null);

        ApiResponse hello = realm.api().send("GET", realm.path("/app-users/me"), token, null, null,
                Map.of("Origin", APP_ORIGIN));
        assertEquals(200, hello.status());
        assertEquals(APP_ORIGIN, hello.header("Access-Control-Allow-Origin"));
    }

    @Test
    void anotherOriginIsRefusedAndChangesNothing() {
        ApiResponse refused = realm.api().send("PUT", realm.path("/app-users/me/custom-data"), token,
                "application/json", "{\"stolen\": true}", Map.of("Origin", OTHER_ORIGIN));
        assertEquals(403, refused.status(), refused.toString());
        assertEquals("forbidden", refused.error());
        assertNull(refused.header("Access-Control-Allow-Origin"));
        assertTrue(!expect(realm.api().get(realm.path("/app-users/me/custom-data"), token), 200).json().has("stolen"),
                "the write from the other origin did not happen");
    }

    @Test
    void aBadTokenIsReadableFromAnyOriginSoTheAppKnowsToRefresh() {
        ApiResponse refused = realm.api().send("GET", realm.path("/app-users/me"), "not-a-token", null, null,
                Map.of("Origin", OTHER_ORIGIN));
        assertEquals(401, refused.status());
        assertEquals("invalid_token", refused.error());
        assertEquals(OTHER_ORIGIN, refused.header("Access-Control-Allow-Origin"));
    }

    @Test
    void requestsWithoutAnOriginAreUnchanged() {
        ApiResponse answer = realm.api().get(realm.path("/app-users/me"), token);
        assertEquals(200, answer.status());
        assertNull(answer.header("Access-Control-Allow-Origin"));
    }
}
