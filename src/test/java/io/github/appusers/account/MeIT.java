package io.github.appusers.account;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.Test;

class MeIT extends IntegrationTest {

    @Test
    void meDescribesTheCallingUser() {
        TestRealm realm = TestRealm.create("me", map("custom_function", map("enabled", true)));
        String id = realm.createUser("carol", "carol-password");
        expect(realm.admin().post(realm.adminPath("/app-users/users/" + id + "/identities"),
                map("provider_type", "custom-function", "id", "carol-ext")), 201);
        String token = realm.passwordLogin("carol", "carol-password").get("access_token").asText();

        JsonNode me = expect(realm.api().get(realm.path("/app-users/me"), token), 200).json();

        assertEquals(id, me.get("id").asText());
        assertFalse(me.get("is_anonymous").asBoolean(true));
        assertEquals("carol@example.test", me.get("email").asText());
        assertTrue(me.get("email_verified").asBoolean());
        assertEquals(1, me.get("identities").size());
        assertEquals("custom-function", me.at("/identities/0/provider_type").asText());
        assertEquals("carol-ext", me.at("/identities/0/id").asText());
        assertTrue(me.get("custom_data").isObject());
        assertTrue(me.get("created_at").asLong() > 0);
        assertTrue(me.has("last_login_at"));
    }

    @Test
    void meWithoutAValidTokenIsUnauthorizedInTheOAuthShape() {
        TestRealm realm = TestRealm.create("me-unauthorized", null);
        for (String token : new String[] {null, "garbage", "a.b.c"}) {
            ApiResponse response = realm.api().get(realm.path("/app-users/me"), token);
            assertEquals(401, response.status(), response.toString());
            assertEquals("invalid_token", response.error());
            assertTrue(response.json().has("error_description"));
        }
    }

    @Test
    void aTokenOfAnotherRealmIsRefused() {
        TestRealm mine = TestRealm.create("me-mine", null);
        TestRealm other = TestRealm.create("me-other", null);
        mine.createUser("dave", "dave-password");
        String token = mine.passwordLogin("dave", "dave-password").get("access_token").asText();
        assertEquals(401, other.api().get(other.path("/app-users/me"), token).status());
    }

    @Test
    void aLoggedOutSessionsTokenIsRefused() {
        TestRealm realm = TestRealm.create("me-logout", null);
        String id = realm.createUser("erin", "erin-password");
        String token = realm.passwordLogin("erin", "erin-password").get("access_token").asText();
        expect(realm.api().get(realm.path("/app-users/me"), token), 200);
        expect(realm.admin().post(realm.adminPath("/users/" + id + "/logout"), null), 204);
        assertEquals(401, realm.api().get(realm.path("/app-users/me"), token).status());
    }
}
