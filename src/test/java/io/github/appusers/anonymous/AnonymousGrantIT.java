package io.github.appusers.anonymous;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.Test;

class AnonymousGrantIT extends IntegrationTest {

    static final String GRANT = "urn:app-users:grant-type:anonymous";

    static ApiResponse anonymousLogin(TestRealm realm, String... extra) {
        String[] form = new String[4 + extra.length];
        form[0] = "grant_type";
        form[1] = GRANT;
        form[2] = "client_id";
        form[3] = TestRealm.APP_CLIENT;
        System.arraycopy(extra, 0, form, 4, extra.length);
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form(form));
    }

    static long userCount(TestRealm realm) {
        return expect(realm.admin().get(realm.adminPath("/users/count")), 200).json().asLong();
    }

    @Test
    void theGrantCreatesALoggedInAnonymousUserWithTheStandardTokens() {
        TestRealm realm = TestRealm.create("anon-grant", map("anonymous", map("enabled", true)));

        JsonNode tokens = expect(anonymousLogin(realm, "scope", "openid"), 200).json();

        assertEquals("Bearer", tokens.get("token_type").asText());
        assertNotNull(tokens.get("refresh_token"));
        JsonNode access = Jwt.claims(tokens.get("access_token").asText());
        JsonNode id = Jwt.claims(tokens.get("id_token").asText());
        assertTrue(access.get("is_anonymous").asBoolean());
        assertTrue(id.get("is_anonymous").asBoolean());
        assertEquals(access.get("sub").asText(), id.get("sub").asText());
        assertTrue(access.get("auth_time").asLong() > 0, "auth_time feeds recent-login checks");

        JsonNode me = expect(realm.api().get(realm.path("/app-users/me"), tokens.get("access_token").asText()), 200)
                .json();
        assertEquals(access.get("sub").asText(), me.get("id").asText());
        assertTrue(me.get("is_anonymous").asBoolean());
        assertEquals(1, me.get("identities").size());
        assertEquals("anon-user", me.at("/identities/0/provider_type").asText());
        assertTrue(me.get("last_login_at").asLong() > 0);

        // The refresh token works like any other and the user stays anonymous.
        JsonNode refreshed = expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form(
                "grant_type", "refresh_token", "client_id", TestRealm.APP_CLIENT,
                "refresh_token", tokens.get("refresh_token").asText())), 200).json();
        JsonNode refreshedAccess = Jwt.claims(refreshed.get("access_token").asText());
        assertEquals(access.get("sub").asText(), refreshedAccess.get("sub").asText());
        assertTrue(refreshedAccess.get("is_anonymous").asBoolean());

        JsonNode events = expect(realm.admin().get(realm.adminPath("/events?type=LOGIN&user="
                + access.get("sub").asText())), 200).json();
        assertEquals(1, events.size(), events.toString());
        assertEquals("anonymous", events.get(0).at("/details/app_users_flow").asText());
        assertEquals("anon-user", events.get(0).at("/details/provider_type").asText());
        assertEquals(GRANT, events.get(0).at("/details/grant_type").asText());
    }

    @Test
    void everySignInIsANewUser() {
        TestRealm realm = TestRealm.create("anon-distinct", map("anonymous", map("enabled", true)));
        String first = Jwt.claims(expect(anonymousLogin(realm), 200).json().get("access_token").asText())
                .get("sub").asText();
        String second = Jwt.claims(expect(anonymousLogin(realm), 200).json().get("access_token").asText())
                .get("sub").asText();
        assertNotEquals(first, second);
        assertEquals(2, userCount(realm));
    }

    @Test
    void confidentialClientsAuthenticateAsUsual() {
        TestRealm realm = TestRealm.create("anon-confidential", map("anonymous", map("enabled", true)));
        ApiResponse wrongSecret = realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", GRANT,
                "client_id", TestRealm.SERVICE_CLIENT, "client_secret", "wrong"));
        assertEquals(401, wrongSecret.status());
        assertEquals("unauthorized_client", wrongSecret.error());
        assertEquals(0, userCount(realm));
        expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", GRANT,
                "client_id", TestRealm.SERVICE_CLIENT, "client_secret", TestRealm.SERVICE_SECRET)), 200);
        assertEquals(1, userCount(realm));
    }

    @Test
    void theGrantIsRefusedWhereAnonymousLoginIsOff() {
        TestRealm off = TestRealm.create("anon-off", null);
        ApiResponse refused = anonymousLogin(off);
        assertEquals(403, refused.status());
        assertEquals("feature_disabled", refused.error());
        assertTrue(refused.json().get("error_description").asText().contains("Anonymous"));
        assertEquals(0, userCount(off));

        TestRealm switchedOff = TestRealm.create("anon-switched-off", map("anonymous", map("enabled", true)));
        expect(anonymousLogin(switchedOff), 200);
        expect(switchedOff.updateSettings(map("anonymous", map("enabled", false))), 200);
        assertEquals(403, anonymousLogin(switchedOff).status());
        assertEquals(1, userCount(switchedOff));
    }

    @Test
    void signUpsPerAddressAreLimitedPerHour() {
        TestRealm realm = TestRealm.create("anon-rate", map("anonymous", map("enabled", true,
                "max_per_ip_per_hour", 3)));
        for (int i = 0; i < 3; i++) {
            expect(anonymousLogin(realm), 200);
        }
        ApiResponse limited = anonymousLogin(realm);
        assertEquals(429, limited.status());
        assertEquals("rate_limited", limited.error());
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 3600, "Retry-After " + retryAfter);
        assertEquals(3, userCount(realm));

        // The limit is per realm: another realm still signs guests up from the same address.
        TestRealm other = TestRealm.create("anon-rate-other", map("anonymous", map("enabled", true,
                "max_per_ip_per_hour", 3)));
        expect(anonymousLogin(other), 200);
        // Raising the limit lets more in within the same hour.
        expect(realm.updateSettings(map("anonymous", map("max_per_ip_per_hour", 4))), 200);
        expect(anonymousLogin(realm), 200);
        assertEquals(429, anonymousLogin(realm).status());
    }

    @Test
    void anonymousAndPermanentUsersAreToldApart() {
        TestRealm realm = TestRealm.create("anon-vs-permanent", map("anonymous", map("enabled", true)));
        realm.createUser("frank", "frank-password");
        JsonNode permanent = Jwt.claims(realm.passwordLogin("frank", "frank-password").get("access_token").asText());
        assertFalse(permanent.get("is_anonymous").asBoolean(true));
        JsonNode service = Jwt.claims(realm.clientCredentials().get("access_token").asText());
        assertFalse(service.get("is_anonymous").asBoolean(true));
    }
}
