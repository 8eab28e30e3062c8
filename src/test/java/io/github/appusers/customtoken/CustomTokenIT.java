package io.github.appusers.customtoken;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.TestJwts;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Custom JWT login with RS256 (a JWKS endpoint, key rotation) and HS256, every refusal, and linking. */
class CustomTokenIT extends IntegrationTest {

    private static final String ISSUER = "https://auth.example.test";
    private static final String AUDIENCE = "my-app";
    private static final String HS_SECRET = "an-hs256-secret-that-is-long-enough-0123456789";
    private static final AtomicReference<List<Map<String, Object>>> PUBLISHED = new AtomicReference<>();
    private static final AtomicReference<List<Map<String, Object>>> ROTATING = new AtomicReference<>();
    private static KeyPair first;
    private static KeyPair rotated;
    private static FunctionServer jwks;
    private static TestRealm rsRealm;
    private static TestRealm hsRealm;

    @BeforeAll
    static void setUp() throws Exception {
        first = TestJwts.rsaKeyPair();
        rotated = TestJwts.rsaKeyPair();
        PUBLISHED.set(List.of(TestJwts.jwk(first, "k1")));
        jwks = new FunctionServer("unused-secret-0123456789")
                .on("/jwks", body -> Answer.json(map("keys", PUBLISHED.get())))
                .on("/rotating-jwks", body -> Answer.json(map("keys", ROTATING.get())));
        List<Map<String, Object>> metadata = List.of(map("claim", "name", "attribute", "firstName", "required", true),
                map("claim", "email", "attribute", "email", "required", false),
                map("claim", "team", "attribute", "team", "required", false));
        rsRealm = TestRealm.create("custom-token-rs", map("anonymous", map("enabled", true),
                "custom_token", map("enabled", true, "issuer", ISSUER, "audience", AUDIENCE,
                        "jwks_url", jwks.url("/jwks"), "metadata", metadata)));
        // "team" is not declared in the user profile: let admins see such attributes so the tests can read them
        ObjectNode profile = (ObjectNode) expect(rsRealm.admin().get(rsRealm.adminPath("/users/profile")), 200).json();
        profile.put("unmanagedAttributePolicy", "ADMIN_VIEW");
        expect(rsRealm.admin().put(rsRealm.adminPath("/users/profile"), profile), 200);
        hsRealm = TestRealm.create("custom-token-hs", map("custom_token", map("enabled", true, "issuer", ISSUER,
                "audience", AUDIENCE, "hs256_secret", HS_SECRET)));
    }

    @AfterAll
    static void tearDown() {
        jwks.close();
    }

    private static Map<String, Object> claims(String sub, Object... extra) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = map("iss", ISSUER, "aud", AUDIENCE, "sub", sub, "iat", now, "exp", now + 300,
                "name", "Name of " + sub);
        for (int i = 0; i < extra.length; i += 2) {
            claims.put((String) extra[i], extra[i + 1]);
        }
        return claims;
    }

    static ApiResponse tokenLogin(TestRealm realm, String jwt) {
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:custom-token", "client_id", TestRealm.APP_CLIENT, "token", jwt));
    }

    @Test
    void firstLoginCreatesTheUserWithMappedFieldsAndLaterLoginsFindIt() throws Exception {
        String sub = "ext-" + System.nanoTime();
        JsonNode first1 = expect(tokenLogin(rsRealm, TestJwts.rs256(first, "k1", claims(sub, "email", sub + "@ext.test",
                "team", "blue"))), 200).json();
        String userId = Jwt.claims(first1.get("access_token").asText()).get("sub").asText();
        JsonNode user = expect(rsRealm.admin().get(rsRealm.adminPath("/users/" + userId)), 200).json();
        assertEquals("Name of " + sub, user.get("firstName").asText());
        assertEquals(sub + "@ext.test", user.get("email").asText());
        JsonNode me = expect(rsRealm.api().get(rsRealm.path("/app-users/me"), first1.get("access_token").asText()), 200)
                .json();
        assertEquals("custom-token", me.at("/identities/0/provider_type").asText());
        assertEquals(sub, me.at("/identities/0/id").asText());

        JsonNode again = expect(tokenLogin(rsRealm, TestJwts.rs256(first, "k1", claims(sub))), 200).json();
        assertEquals(userId, Jwt.claims(again.get("access_token").asText()).get("sub").asText());
    }

    @Test
    void aNewEmailFromTheTokenIsNotVerified() throws Exception {
        String sub = "mail-" + System.nanoTime();
        JsonNode tokens = expect(tokenLogin(rsRealm, TestJwts.rs256(first, "k1", claims(sub, "email",
                sub + "@old.test"))), 200).json();
        String userId = Jwt.claims(tokens.get("access_token").asText()).get("sub").asText();
        ObjectNode user = (ObjectNode) expect(rsRealm.admin().get(rsRealm.adminPath("/users/" + userId)), 200).json();
        user.put("emailVerified", true);
        expect(rsRealm.admin().put(rsRealm.adminPath("/users/" + userId), user), 204);

        expect(tokenLogin(rsRealm, TestJwts.rs256(first, "k1", claims(sub, "email", sub + "@new.test"))), 200);
        JsonNode after = expect(rsRealm.admin().get(rsRealm.adminPath("/users/" + userId)), 200).json();
        assertEquals(sub + "@new.test", after.get("email").asText());
        assertFalse(after.get("emailVerified").asBoolean(), "the old address's verification does not pass to a new one");
    }

    @Test
    void aRotatedKeyIsPickedUpFromTheJwks() throws Exception {
        // A realm and JWKS of their own: the JWKS is loaded by the first login, just before the rotation.
        ROTATING.set(List.of(TestJwts.jwk(first, "k1")));
        TestRealm rotating = TestRealm.create("custom-token-rotate", map("custom_token", map("enabled", true,
                "issuer", ISSUER, "audience", AUDIENCE, "jwks_url", jwks.url("/rotating-jwks"))));
        expect(tokenLogin(rotating, TestJwts.rs256(first, "k1", claims("rot-" + System.nanoTime()))), 200);
        ROTATING.set(List.of(TestJwts.jwk(first, "k1"), TestJwts.jwk(rotated, "k2")));
        // The first token with the new kid reloads the JWKS at once: the harness sets no minimum time
        // between reloads (KeycloakServer; Keycloak's default of 10 s would refuse this token).
        ApiResponse response = tokenLogin(rotating, TestJwts.rs256(rotated, "k2", claims("rot2-" + System.nanoTime())));
        assertEquals(200, response.status(), response.toString());
        assertEquals(2, jwks.calls("/rotating-jwks").size(), "loaded for the first key, reloaded for the new one");
    }

    @Test
    void hs256TokensWorkWhereTheRealmHasASecret() throws Exception {
        String sub = "hs-" + System.nanoTime();
        Map<String, Object> claims = claims(sub);
        JsonNode tokens = expect(tokenLogin(hsRealm, TestJwts.hs256(HS_SECRET, claims)), 200).json();
        assertTrue(Jwt.claims(tokens.get("access_token").asText()).has("sub"));
        assertEquals("invalid_grant", tokenLogin(hsRealm, TestJwts.hs256("another-secret-0123456789-0123456789", claims))
                .error());
        assertEquals("invalid_grant", tokenLogin(hsRealm, TestJwts.rs256(first, "k1", claims)).error(),
                "the algorithm is pinned by the realm, not chosen by the token");
    }

    @Test
    void everyBadTokenIsRefusedAndCreatesNobody() throws Exception {
        long before = expect(rsRealm.admin().get(rsRealm.adminPath("/users/count")), 200).json().asLong();
        long now = Instant.now().getEpochSecond();
        KeyPair stranger = TestJwts.rsaKeyPair();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("bad signature", TestJwts.rs256(stranger, "k1", claims("bad-sig")));
        cases.put("unknown kid", TestJwts.rs256(stranger, "nope", claims("bad-kid")));
        cases.put("wrong issuer", TestJwts.rs256(first, "k1", claims("bad-iss", "iss", "https://evil.test")));
        cases.put("wrong audience", TestJwts.rs256(first, "k1", claims("bad-aud", "aud", "other-app")));
        cases.put("expired", TestJwts.rs256(first, "k1", claims("old", "exp", now - 120)));
        cases.put("not yet valid", TestJwts.rs256(first, "k1", claims("early", "nbf", now + 600)));
        cases.put("no exp", TestJwts.rs256(first, "k1", withoutExp(claims("noexp"))));
        cases.put("no iat", TestJwts.rs256(first, "k1", without(claims("noiat"), "iat")));
        cases.put("issued longer ago than max_age_seconds", TestJwts.rs256(first, "k1", claims("oldiat", "iat", now - 3700)));
        cases.put("issued in the future", TestJwts.rs256(first, "k1", claims("futureiat", "iat", now + 600)));
        cases.put("typ of an access token", TestJwts.rs256(first, map("alg", "RS256", "typ", "at+jwt", "kid", "k1"),
                claims("attyp")));
        cases.put("no audience", TestJwts.rs256(first, "k1", without(claims("noaud"), "aud")));
        cases.put("alg none", TestJwts.none(claims("none")));
        cases.put("hs256 where rs256 is configured", TestJwts.hs256(HS_SECRET, claims("hs")));
        cases.put("missing required name", TestJwts.rs256(first, "k1", withoutName(claims("noname"))));
        cases.put("no sub", TestJwts.rs256(first, "k1", withoutSub(claims("x"))));
        cases.put("junk", "not.a.jwt");
        cases.put("empty", "");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            ApiResponse refused = tokenLogin(rsRealm, bad.getValue());
            assertEquals(400, refused.status(), bad.getKey() + ": " + refused);
            assertEquals("invalid_grant", refused.error(), bad.getKey());
        }
        assertEquals(before, expect(rsRealm.admin().get(rsRealm.adminPath("/users/count")), 200).json().asLong());
    }

    @Test
    void aGuestCanLinkACustomTokenIdentity() throws Exception {
        JsonNode guest = expect(rsRealm.api().postForm(rsRealm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT)), 200).json();
        String sub = "linked-" + System.nanoTime();
        expect(rsRealm.api().postJson(rsRealm.path("/app-users/me/identities"), guest.get("access_token").asText(),
                map("type", "custom-token", "token", TestJwts.rs256(first, "k1", claims(sub)))), 201);
        JsonNode login = expect(tokenLogin(rsRealm, TestJwts.rs256(first, "k1", claims(sub))), 200).json();
        assertEquals(Jwt.claims(guest.get("access_token").asText()).get("sub").asText(),
                Jwt.claims(login.get("access_token").asText()).get("sub").asText());
        ApiResponse badLink = rsRealm.api().postJson(rsRealm.path("/app-users/me/identities"),
                guest.get("access_token").asText(), map("type", "custom-token", "token", "junk"));
        assertEquals(400, badLink.status());
        assertEquals("invalid_token", badLink.error());
    }

    @Test
    void theSwitchIsHonoured() throws Exception {
        TestRealm off = TestRealm.create("custom-token-off", null);
        assertEquals("feature_disabled", tokenLogin(off, TestJwts.rs256(first, "k1", claims("x"))).error());
    }

    @Test
    void aTokenWithoutTypAndOneOfTypJwtAreTakenAndMaxAgeIsTheRealms() throws Exception {
        long now = Instant.now().getEpochSecond();
        expect(tokenLogin(rsRealm, TestJwts.rs256(first, map("alg", "RS256", "kid", "k1"), claims("notyp"))), 200);
        expect(tokenLogin(rsRealm, TestJwts.rs256(first, map("alg", "RS256", "typ", "jwt", "kid", "k1"),
                claims("lowertyp"))), 200);
        TestRealm strict = TestRealm.create("custom-token-age", map("custom_token", map("enabled", true,
                "issuer", ISSUER, "audience", AUDIENCE, "hs256_secret", HS_SECRET, "max_age_seconds", 60)));
        expect(tokenLogin(strict, TestJwts.hs256(HS_SECRET, claims("young", "iat", now - 20))), 200);
        assertEquals("invalid_grant", tokenLogin(strict, TestJwts.hs256(HS_SECRET, claims("aged", "iat", now - 120)))
                .error());
    }

    @Test
    void trustInExternalTokensMustBeExplicitToTurnTheFeatureOn() {
        TestRealm realm = TestRealm.create("custom-token-trust", map("anonymous", map("enabled", true)));
        String before = expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).body();
        Map<String, Map<String, Object>> refused = new java.util.LinkedHashMap<>();
        refused.put("custom_token.issuer", map("enabled", true, "audience", AUDIENCE, "hs256_secret", HS_SECRET));
        refused.put("custom_token.audience", map("enabled", true, "issuer", ISSUER, "hs256_secret", HS_SECRET));
        refused.put("custom_token.jwks_url", map("enabled", true, "issuer", ISSUER, "audience", AUDIENCE));
        refused.put("custom_token.hs256_secret", map("enabled", true, "issuer", ISSUER, "audience", AUDIENCE,
                "hs256_secret", "only-31-bytes-long-hs256-secret"));
        refused.put("custom_token.jwks_url ", map("jwks_url", "http://keys.example.test/jwks"));
        refused.put("custom_token.max_age_seconds", map("max_age_seconds", 0));
        for (Map.Entry<String, Map<String, Object>> bad : refused.entrySet()) {
            ApiResponse response = realm.updateSettings(map("custom_token", bad.getValue()));
            assertEquals(400, response.status(), bad.getKey() + ": " + response);
            assertEquals("invalid_request", response.error());
            assertTrue(response.errorDescription().contains("'" + bad.getKey().trim() + "'"), response.toString());
        }
        assertEquals(before, expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).body(),
                "refused settings change nothing");
        // Loopback HTTP is allowed (local tests), as for functions.
        expect(realm.updateSettings(map("custom_token", map("enabled", true, "issuer", ISSUER, "audience", AUDIENCE,
                "jwks_url", "http://127.0.0.1:9/jwks"))), 200);
    }

    @Test
    void aRealmOfAnEarlierVersionWithoutIssuerOrAudienceImportsAndRefusesOnlyCustomTokens() throws Exception {
        TestRealm legacy = TestRealm.create("custom-token-legacy", map("anonymous", map("enabled", true),
                "custom_token", map("enabled", true, "hs256_secret", HS_SECRET)));
        expect(legacy.api().postForm(legacy.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT)), 200);
        ApiResponse refused = tokenLogin(legacy, TestJwts.hs256(HS_SECRET, claims("legacy")));
        assertEquals("invalid_grant", refused.error());
        assertTrue(refused.errorDescription().contains("no issuer or no audience"), refused.toString());
        // An unrelated change must now meet the rules: the response names what is missing.
        ApiResponse change = legacy.updateSettings(map("anonymous", map("max_per_ip_per_hour", 5)));
        assertEquals(400, change.status());
        assertTrue(change.errorDescription().contains("custom_token.issuer"), change.toString());
    }

    @Test
    void aRefusedLoginWritesNothing() throws Exception {
        String sub = "disabled-" + System.nanoTime();
        String userId = Jwt.claims(expect(tokenLogin(rsRealm, TestJwts.rs256(first, "k1", claims(sub, "team", "red"))), 200)
                .json().get("access_token").asText()).get("sub").asText();
        expect(rsRealm.admin().put(rsRealm.adminPath("/users/" + userId), map("enabled", false)), 204);
        assertEquals("invalid_grant", tokenLogin(rsRealm, TestJwts.rs256(first, "k1", claims(sub, "team", "green")))
                .error());
        JsonNode user = expect(rsRealm.admin().get(rsRealm.adminPath("/users/" + userId)), 200).json();
        assertEquals("red", user.at("/attributes/team/0").asText(), "the refused login's mapping was not written");
    }

    @Test
    void aRealmTrustsOneAlgorithm() {
        TestRealm realm = TestRealm.create("custom-token-one-alg", null);
        ApiResponse both = realm.updateSettings(map("custom_token", map("enabled", true, "issuer", ISSUER,
                "audience", AUDIENCE, "jwks_url", "https://keys.example.test/jwks", "hs256_secret", HS_SECRET)));
        assertEquals(400, both.status());
        assertTrue(both.errorDescription().contains("custom_token.hs256_secret"), both.toString());
    }

    private static Map<String, Object> without(Map<String, Object> claims, String name) {
        claims.remove(name);
        return claims;
    }

    private static Map<String, Object> withoutExp(Map<String, Object> claims) {
        claims.remove("exp");
        return claims;
    }

    private static Map<String, Object> withoutName(Map<String, Object> claims) {
        claims.remove("name");
        return claims;
    }

    private static Map<String, Object> withoutSub(Map<String, Object> claims) {
        claims.remove("sub");
        return claims;
    }
}
