package io.github.appusers.testsupport;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** The master realm's admin, as kcadm would be: a token refreshed before it expires. */
public final class AdminApi {

    private final Api api;
    private String token;
    private Instant expires = Instant.EPOCH;

    public AdminApi(Api api) {
        this.api = api;
    }

    public synchronized String token() {
        if (Instant.now().isAfter(expires)) {
            ApiResponse response = api.postForm("/realms/master/protocol/openid-connect/token", null,
                    Api.form("grant_type", "password", "client_id", "admin-cli",
                            "username", KeycloakServer.ADMIN_USER, "password", KeycloakServer.ADMIN_PASSWORD));
            if (response.status() != 200) {
                throw new IllegalStateException("admin login failed: " + response);
            }
            JsonNode json = response.json();
            token = json.get("access_token").asText();
            expires = Instant.now().plusSeconds(json.get("expires_in").asLong() - 15);
        }
        return token;
    }

    public ApiResponse get(String path) {
        return api.get("/admin" + path, token());
    }

    public ApiResponse post(String path, Object body) {
        return api.postJson("/admin" + path, token(), body);
    }

    public ApiResponse put(String path, Object body) {
        return api.putJson("/admin" + path, token(), body);
    }

    public ApiResponse delete(String path) {
        return api.delete("/admin" + path, token());
    }

    /** Fails the test when the admin call did not answer with one of the expected statuses. */
    public static ApiResponse expect(ApiResponse response, int... statuses) {
        for (int status : statuses) {
            if (response.status() == status) {
                return response;
            }
        }
        throw new AssertionError("unexpected response " + response);
    }

    public static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
