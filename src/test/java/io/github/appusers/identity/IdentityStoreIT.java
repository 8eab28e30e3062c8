package io.github.appusers.identity;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The identity store through the admin identities endpoint: uniqueness, races, cleanup with the user. */
class IdentityStoreIT extends IntegrationTest {

    private static TestRealm realm;

    @BeforeAll
    static void realm() {
        realm = TestRealm.create("identities", map("custom_function", map("enabled", true)));
    }

    private static String identitiesPath(String userId) {
        return realm.adminPath("/app-users/users/" + userId + "/identities");
    }

    private static ApiResponse attach(String userId, String type, String id) {
        return realm.admin().post(identitiesPath(userId), map("provider_type", type, "id", id));
    }

    @Test
    void anAttachedIdentityIsListedAndBelongsToOneUserOnly() {
        String owner = realm.createUser("owner", "owner-password");
        String other = realm.createUser("other", "other-password");

        ApiResponse created = expect(attach(owner, "custom-function", "ext-1"), 201);
        assertEquals("custom-function", created.json().get("provider_type").asText());
        assertEquals("ext-1", created.json().get("id").asText());
        assertTrue(created.json().get("created_at").asLong() > 0);

        JsonNode listed = expect(realm.admin().get(identitiesPath(owner)), 200).json();
        assertEquals(1, listed.size());
        assertEquals("ext-1", listed.get(0).get("id").asText());

        ApiResponse conflict = attach(other, "custom-function", "ext-1");
        assertEquals(409, conflict.status());
        assertEquals("identity_in_use", conflict.error());
        ApiResponse again = attach(owner, "custom-function", "ext-1");
        assertEquals(409, again.status());
        assertEquals(0, expect(realm.admin().get(identitiesPath(other)), 200).json().size());

        // The same id under another provider type is another identity.
        expect(attach(other, "custom-token", "ext-1"), 201);
    }

    @Test
    void twentyConcurrentAttachesOfOneIdentityHaveExactlyOneWinner() throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(realm.createUser("racer" + i, "racer-password"));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<ApiResponse>> results = new ArrayList<>();
            for (String user : users) {
                Callable<ApiResponse> call = () -> {
                    start.await();
                    return attach(user, "custom-function", "contested");
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            int won = 0;
            int lost = 0;
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
            assertEquals(1, won);
            assertEquals(19, lost);
        } finally {
            pool.shutdownNow();
        }
        int owners = 0;
        for (String user : users) {
            owners += expect(realm.admin().get(identitiesPath(user)), 200).json().size();
        }
        assertEquals(1, owners);
    }

    @Test
    void identitiesGoWhenTheirUserIsDeleted() {
        String first = realm.createUser("deleted-owner", "owner-password");
        expect(attach(first, "custom-function", "reusable"), 201);
        expect(realm.admin().delete(realm.adminPath("/users/" + first)), 204);

        String second = realm.createUser("next-owner", "owner-password");
        expect(attach(second, "custom-function", "reusable"), 201);
    }

    @Test
    void identitiesGoWithTheirRealm() {
        TestRealm doomed = TestRealm.create("identities-doomed", null);
        String user = doomed.createUser("someone", "someone-password");
        expect(doomed.admin().post(doomed.adminPath("/app-users/users/" + user + "/identities"),
                map("provider_type", "custom-token", "id", "sub-1")), 201);
        expect(doomed.admin().delete(doomed.adminPath("")), 204);
        assertEquals(404, doomed.admin().get(doomed.adminPath("/app-users/settings")).status());
    }

    @Test
    void removingAnIdentityFreesIt() {
        String user = realm.createUser("remover", "remover-password");
        expect(attach(user, "custom-token", "sub-remove"), 201);
        expect(realm.admin().delete(identitiesPath(user) + "/custom-token/sub-remove"), 204);
        ApiResponse missing = realm.admin().delete(identitiesPath(user) + "/custom-token/sub-remove");
        assertEquals(404, missing.status());
        assertEquals("not_found", missing.error());
        expect(attach(realm.createUser("taker", "taker-password"), "custom-token", "sub-remove"), 201);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"provider_type\": \"custom-function\"}",
            "{\"provider_type\": \"custom-function\", \"id\": 5}",
            "{\"provider_type\": \"custom-function\", \"id\": \"  \"}",
            "{\"provider_type\": \"anon-user\", \"id\": \"x\"}",
            "{\"provider_type\": \"local-userpass\", \"id\": \"a@example.test\"}",
            "{\"provider_type\": [], \"id\": \"x\"}",
            "{\"provider_type\": \"custom-function\", \"id\": \"x\"",
            "not json"
    })
    void badAttachRequestsAreRefusedAndChangeNothing(String body) {
        String user = realm.createUser("bad-input-" + Math.abs(body.hashCode()), "user-password");
        ApiResponse response = realm.api().send("POST", "/admin" + identitiesPath(user), realm.admin().token(),
                "application/json", body);
        assertEquals(400, response.status(), response.toString());
        assertEquals("invalid_request", response.error());
        assertEquals(0, expect(realm.admin().get(identitiesPath(user)), 200).json().size());
    }

    @Test
    void oversizedBodiesAndOverlongIdsAreRefused() {
        String user = realm.createUser("big-input", "user-password");
        String huge = "{\"provider_type\": \"custom-function\", \"id\": \"" + "x".repeat(70_000) + "\"}";
        ApiResponse tooLarge = realm.api().send("POST", "/admin" + identitiesPath(user), realm.admin().token(),
                "application/json", huge);
        assertEquals(413, tooLarge.status());
        assertEquals("payload_too_large", tooLarge.error());
        ApiResponse tooLong = attach(user, "custom-function", "y".repeat(256));
        assertEquals(400, tooLong.status());
        assertEquals(0, expect(realm.admin().get(identitiesPath(user)), 200).json().size());
    }

    @Test
    void unknownUsersAreNotFound() {
        ApiResponse response = realm.admin().get(identitiesPath("no-such-user"));
        assertEquals(404, response.status());
        assertEquals("not_found", response.error());
    }
}
