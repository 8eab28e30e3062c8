package io.github.appusers.anonymous;

import static io.github.appusers.anonymous.AnonymousGrantIT.anonymousLogin;
import static io.github.appusers.anonymous.AnonymousGrantIT.userCount;
import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.Database;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.StaleUsers;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cleanup of anonymous users: the purge by age and delete-on-logout. */
class AnonymousLifecycleIT extends IntegrationTest {

    private static final long DAY = 24L * 3600 * 1000;

    private static String signIn(TestRealm realm) {
        return Jwt.claims(expect(anonymousLogin(realm), 200).json().get("access_token").asText()).get("sub").asText();
    }

    /** Makes the user's last login look {@code days} old, without waiting. */
    private static void age(String userId, int days) {
        long then = System.currentTimeMillis() - days * DAY;
        assertEquals(1, Database.update("UPDATE APP_USERS_IDENTITY SET CREATED_AT = ?, LAST_USED_AT = ?"
                + " WHERE USER_ID = ?", then, then, userId));
    }

    private static boolean exists(TestRealm realm, String userId) {
        return realm.admin().get(realm.adminPath("/users/" + userId)).status() == 200;
    }

    private static JsonNode purge(TestRealm realm, String query) {
        return expect(realm.admin().post(realm.adminPath("/app-users/anonymous/purge" + query), null), 200).json();
    }

    @Test
    void thePurgeDeletesOnlyAnonymousUsersIdleLongerThanTheLimit() {
        TestRealm realm = TestRealm.create("anon-purge", map("anonymous", map("enabled", true),
                "custom_function", map("enabled", true)));
        String stale1 = signIn(realm);
        String stale2 = signIn(realm);
        String recent = signIn(realm);
        String upgraded = signIn(realm);
        String permanent = realm.createUser("grace", "grace-password");
        age(stale1, 31);
        age(stale2, 45);
        age(recent, 29);
        age(upgraded, 60);
        // An anonymous user with a permanent identity is no longer anonymous: never purged.
        expect(realm.admin().post(realm.adminPath("/app-users/users/" + upgraded + "/identities"),
                map("provider_type", "custom-function", "id", "upgraded-ext")), 201);

        JsonNode result = purge(realm, "?inactive_days=30");

        assertEquals(2, result.get("deleted").asInt(), result.toString());
        assertEquals(false, exists(realm, stale1));
        assertEquals(false, exists(realm, stale2));
        assertEquals(true, exists(realm, recent));
        assertEquals(true, exists(realm, upgraded));
        assertEquals(true, exists(realm, permanent));
        assertEquals(0, Database.count("SELECT COUNT(*) FROM APP_USERS_IDENTITY WHERE USER_ID IN (?, ?)", stale1, stale2));
        assertEquals(0, purge(realm, "?inactive_days=30").get("deleted").asInt());
        // Without a parameter the realm's purge_inactive_days (default 30) applies.
        age(recent, 31);
        assertEquals(1, purge(realm, "").get("deleted").asInt());
    }

    @Test
    void aTokenRefreshCountsAsActivity() {
        TestRealm realm = TestRealm.create("anon-activity", map("anonymous", map("enabled", true)));
        JsonNode tokens = expect(anonymousLogin(realm), 200).json();
        String user = Jwt.claims(tokens.get("access_token").asText()).get("sub").asText();
        age(user, 40);
        expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "refresh_token",
                "client_id", TestRealm.APP_CLIENT, "refresh_token", tokens.get("refresh_token").asText())), 200);
        assertEquals(0, purge(realm, "?inactive_days=30").get("deleted").asInt());
        assertEquals(true, exists(realm, user));
    }

    @Test
    void thePurgeIsPerRealmAndWorksInBatches() {
        TestRealm realm = TestRealm.create("anon-purge-many", map("anonymous", map("enabled", true)));
        TestRealm other = TestRealm.create("anon-purge-other", map("anonymous", map("enabled", true)));
        String otherUser = signIn(other);
        age(otherUser, 90);
        for (int i = 0; i < 12; i++) {
            age(signIn(realm), 90);
        }
        // max_users bounds one call; "more" says another call would find more.
        JsonNode first = purge(realm, "?inactive_days=1&max_users=5");
        assertEquals(5, first.get("deleted").asInt(), first.toString());
        assertEquals(true, first.get("more").asBoolean(), first.toString());
        assertEquals(7, userCount(realm));
        assertEquals(5, purge(realm, "?inactive_days=1&max_users=5").get("deleted").asInt());
        JsonNode last = purge(realm, "?inactive_days=1&max_users=5");
        assertEquals(2, last.get("deleted").asInt(), last.toString());
        assertEquals(false, last.get("more").asBoolean(), last.toString());
        assertEquals(0, userCount(realm));
        assertEquals(true, exists(other, otherUser));
    }

    @Test
    void aLongPurgeStopsAtItsTimeBudgetAndTheNextCallGoesOn() throws Exception {
        TestRealm realm = TestRealm.create("anon-purge-budget", map("anonymous", map("enabled", true)));
        String realmId = expect(realm.admin().get(realm.adminPath("")), 200).json().get("id").asText();
        // Far more than any machine deletes in one second through Keycloak's user removal.
        int seeded = 5000;
        StaleUsers.seed(server(), realmId, seeded, 90);

        JsonNode first = purge(realm, "?inactive_days=1&max_seconds=1");
        int deleted = first.get("deleted").asInt();
        assertEquals(true, first.get("more").asBoolean(), first.toString());
        assertTrue(deleted > 0 && deleted < seeded, first.toString());
        assertEquals(seeded - deleted, userCount(realm));
        JsonNode next = first;
        while (next.get("more").asBoolean()) {
            // Bounded well under the test client's 60 s timeout: a loaded machine deletes slowly.
            next = purge(realm, "?inactive_days=1&max_seconds=20");
            deleted += next.get("deleted").asInt();
        }
        assertEquals(seeded, deleted);
        assertEquals(0, userCount(realm));
        assertEquals(0, Database.count("SELECT COUNT(*) FROM APP_USERS_IDENTITY WHERE REALM_ID = ?", realmId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"?inactive_days=abc", "?inactive_days=-1", "?inactive_seconds=1.5", "?inactive_days=",
            "?max_users=0", "?max_users=x", "?max_users=99999999999", "?max_seconds=0", "?max_seconds=-3"})
    void badPurgeParametersAreRefused(String query) {
        TestRealm realm = TestRealm.create("anon-purge-bad", map("anonymous", map("enabled", true)));
        String user = signIn(realm);
        age(user, 90);
        ApiResponse refused = realm.admin().post(realm.adminPath("/app-users/anonymous/purge" + query), null);
        assertEquals(400, refused.status(), refused.toString());
        assertEquals("invalid_request", refused.error());
        assertEquals(true, exists(realm, user));
    }

    @Test
    void logoutDeletesAnonymousUsersWhenTheRealmSaysSo() {
        TestRealm deleting = TestRealm.create("anon-logout", map("anonymous", map("enabled", true,
                "delete_on_logout", true)));
        JsonNode tokens = expect(anonymousLogin(deleting), 200).json();
        String user = Jwt.claims(tokens.get("access_token").asText()).get("sub").asText();
        expect(deleting.api().postForm(deleting.path("/protocol/openid-connect/logout"), null, Api.form(
                "client_id", TestRealm.APP_CLIENT, "refresh_token", tokens.get("refresh_token").asText())), 204);
        assertEquals(false, exists(deleting, user));
        assertEquals(0, Database.count("SELECT COUNT(*) FROM APP_USERS_IDENTITY WHERE USER_ID = ?", user));

        // A permanent user logging out in the same realm stays.
        String permanent = deleting.createUser("henry", "henry-password");
        JsonNode henry = deleting.passwordLogin("henry", "henry-password");
        expect(deleting.api().postForm(deleting.path("/protocol/openid-connect/logout"), null, Api.form(
                "client_id", TestRealm.APP_CLIENT, "refresh_token", henry.get("refresh_token").asText())), 204);
        assertEquals(true, exists(deleting, permanent));

        TestRealm keeping = TestRealm.create("anon-logout-keep", map("anonymous", map("enabled", true)));
        JsonNode kept = expect(anonymousLogin(keeping), 200).json();
        String keptUser = Jwt.claims(kept.get("access_token").asText()).get("sub").asText();
        expect(keeping.api().postForm(keeping.path("/protocol/openid-connect/logout"), null, Api.form(
                "client_id", TestRealm.APP_CLIENT, "refresh_token", kept.get("refresh_token").asText())), 204);
        assertEquals(true, exists(keeping, keptUser));
    }
}
