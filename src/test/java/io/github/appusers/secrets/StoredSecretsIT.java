package io.github.appusers.secrets;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.TestJwts;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secrets (function secrets, the HS256 secret) live as stored secrets of the realm, the way
 * Keycloak keeps LDAP bind credentials: never in realm attributes, never shown by the admin API,
 * partial exports, admin events or the log; vault references work; secrets of earlier versions
 * move out of the attributes by themselves.
 */
class StoredSecretsIT extends IntegrationTest {

    private static final String FUNCTION_SECRET = "stored-function-secret-" + System.nanoTime();
    private static final String VAULT_SECRET = "vault-held-function-secret-" + System.nanoTime();
    private static final String HS256_SECRET = "stored-hs256-secret-of-more-than-32-bytes-" + System.nanoTime();
    private static final String ISSUER = "https://issuer.example.test";
    private static final String AUDIENCE = "stored-secrets-app";
    private static final String COMPONENTS = "/components?type=io.github.appusers.secrets.AppUsersSecret";

    private static FunctionServer functions;
    private static FunctionServer vaultFunctions;

    @BeforeAll
    static void setUp() throws Exception {
        functions = new FunctionServer(FUNCTION_SECRET).on("/login", body -> Answer.json(map("id",
                body.at("/payload/user").asText())));
        vaultFunctions = new FunctionServer(VAULT_SECRET).on("/login", body -> Answer.json(map("id",
                body.at("/payload/user").asText())));
    }

    @AfterAll
    static void tearDown() {
        functions.close();
        vaultFunctions.close();
    }

    private static TestRealm realm(String prefix) {
        TestRealm realm = TestRealm.create(prefix, map("custom_function", map("enabled", true)),
                map("adminEventsEnabled", true, "adminEventsDetailsEnabled", true));
        return realm;
    }

    private static ApiResponse functionLogin(TestRealm realm, String function, String user) {
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:custom-function", "client_id", TestRealm.APP_CLIENT, "function", function,
                "payload", Api.toJson(map("user", user))));
    }

    /** Every admin-visible place a secret could leak to. */
    private static void assertNowhereVisible(TestRealm realm, String secret) {
        assertFalse(expect(realm.admin().get(realm.adminPath("")), 200).body().contains(secret), "realm representation");
        assertFalse(expect(realm.admin().post(realm.adminPath("/partial-export?exportClients=true"
                + "&exportGroupsAndRoles=true"), null), 200).body().contains(secret), "partial export");
        assertFalse(expect(realm.admin().get(realm.adminPath("/admin-events?max=1000")), 200).body().contains(secret),
                "admin events");
        assertFalse(expect(realm.admin().get(realm.adminPath("/app-users/functions")), 200).body().contains(secret));
        assertFalse(expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).body().contains(secret));
        assertFalse(expect(realm.admin().get(realm.adminPath(COMPONENTS)), 200).body().contains(secret), "components");
        assertFalse(server().logSinceStart().contains(secret), "server log");
    }

    @Test
    void aFunctionSecretIsAStoredSecretShownToNobody() {
        TestRealm realm = realm("secrets-fn");
        expect(realm.admin().put(realm.adminPath("/app-users/functions/login"), map("kind", "login",
                "url", functions.url("/login"), "secret", FUNCTION_SECRET)), 200);

        assertEquals(200, functionLogin(realm, "login", "ada").status());
        assertTrue(functions.calls("/login").stream().allMatch(FunctionServer.Call::signatureValid),
                "requests are signed with the stored secret");
        JsonNode attributes = expect(realm.admin().get(realm.adminPath("")), 200).json().get("attributes");
        assertFalse(attributes.get("app-users.function.login").asText().contains("secret"));
        JsonNode components = expect(realm.admin().get(realm.adminPath(COMPONENTS)), 200).json();
        assertEquals(1, components.size());
        assertEquals("function.login", components.get(0).get("name").asText());
        assertEquals("**********", components.at("/0/config/value/0").asText());
        assertNowhereVisible(realm, FUNCTION_SECRET);

        // Kept when a PUT leaves it out; gone with its function.
        expect(realm.admin().put(realm.adminPath("/app-users/functions/login"), map("kind", "login",
                "url", functions.url("/login"), "timeout_ms", 3000)), 200);
        assertEquals(200, functionLogin(realm, "login", "ada").status());
        expect(realm.admin().delete(realm.adminPath("/app-users/functions/login")), 204);
        assertEquals(0, expect(realm.admin().get(realm.adminPath(COMPONENTS)), 200).json().size());
    }

    @Test
    void theHs256SecretIsAStoredSecretAndTheMaskKeepsIt() throws Exception {
        TestRealm realm = realm("secrets-hs");
        expect(realm.updateSettings(map("custom_token", map("enabled", true, "issuer", ISSUER, "audience", AUDIENCE,
                "hs256_secret", HS256_SECRET))), 200);
        JsonNode settings = expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json();
        assertEquals("**********", settings.at("/custom_token/hs256_secret").asText());
        assertEquals(200, jwtLogin(realm, TestJwts.hs256(HS256_SECRET, claims("hs-user"))).status());
        assertNowhereVisible(realm, HS256_SECRET);

        expect(realm.admin().put(realm.adminPath("/app-users/settings"), settings), 200); // read, sent back: the mask keeps the secret
        assertEquals(200, jwtLogin(realm, TestJwts.hs256(HS256_SECRET, claims("hs-user"))).status());

        expect(realm.updateSettings(map("custom_token", map("jwks_url", "https://keys.example.test/jwks",
                "hs256_secret", null))), 200);
        assertTrue(expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json()
                .at("/custom_token/hs256_secret").isNull());
        assertEquals("invalid_grant", jwtLogin(realm, TestJwts.hs256(HS256_SECRET, claims("hs-user"))).error());
        assertEquals(0, expect(realm.admin().get(realm.adminPath(COMPONENTS)), 200).json().size());
    }

    @Test
    void aSecretMayBeAVaultReference() throws Exception {
        TestRealm realm = realm("secrets-vault");
        Files.writeString(server().vaultDir().resolve(realm.name() + "_fnsecret"), VAULT_SECRET);
        Files.writeString(server().vaultDir().resolve(realm.name() + "_hssecret"), HS256_SECRET);
        expect(realm.admin().put(realm.adminPath("/app-users/functions/login"), map("kind", "login",
                "url", vaultFunctions.url("/login"), "secret", "${vault.fnsecret}")), 200);
        assertEquals(200, functionLogin(realm, "login", "vera").status());
        assertTrue(vaultFunctions.calls("/login").stream().allMatch(FunctionServer.Call::signatureValid));
        assertEquals("${vault.fnsecret}", expect(realm.admin().get(realm.adminPath(COMPONENTS)), 200).json()
                .at("/0/config/value/0").asText(), "a vault reference is no secret and shows as such");

        expect(realm.updateSettings(map("custom_token", map("enabled", true, "issuer", ISSUER, "audience", AUDIENCE,
                "hs256_secret", "${vault.hssecret}"))), 200);
        assertEquals(200, jwtLogin(realm, TestJwts.hs256(HS256_SECRET, claims("vault-user"))).status());

        ApiResponse missing = realm.admin().put(realm.adminPath("/app-users/functions/other"), map("kind", "login",
                "url", vaultFunctions.url("/login"), "secret", "${vault.no-such-entry}"));
        assertEquals(400, missing.status());
        assertTrue(missing.errorDescription().contains("vault"), missing.toString());
        assertEquals(404, realm.admin().get(realm.adminPath("/app-users/functions/other")).status());
    }

    @Test
    void secretsOfEarlierVersionsMoveOutOfTheAttributes() throws Exception {
        // A realm as an earlier version stored it: secrets inside the attributes.
        String legacyFunction = Api.toJson(map("kind", "login", "url", functions.url("/login"),
                "secret", FUNCTION_SECRET, "timeout_ms", 5000));
        TestRealm imported = TestRealm.create("secrets-legacy", map("custom_function", map("enabled", true),
                "custom_token", map("enabled", true, "issuer", ISSUER, "audience", AUDIENCE,
                        "hs256_secret", HS256_SECRET)),
                map("attributes", map("app-users.function.login", legacyFunction, "app-users.settings",
                        Api.toJson(map("custom_function", map("enabled", true), "custom_token", map("enabled", true,
                                "issuer", ISSUER, "audience", AUDIENCE, "hs256_secret", HS256_SECRET))))));
        // Moved when the realm was created (import): nothing in the attributes, both still work.
        String realmJson = expect(imported.admin().get(imported.adminPath("")), 200).body();
        assertFalse(realmJson.contains(FUNCTION_SECRET));
        assertFalse(realmJson.contains(HS256_SECRET));
        assertEquals(200, functionLogin(imported, "login", "lena").status());
        assertEquals(200, jwtLogin(imported, TestJwts.hs256(HS256_SECRET, claims("legacy-user"))).status());

        // Written straight into the attributes later (the realm API): moved on first use.
        JsonNode realm = expect(imported.admin().get(imported.adminPath("")), 200).json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) realm.get("attributes"))
                .put("app-users.function.second", legacyFunction);
        expect(imported.admin().put(imported.adminPath(""), realm), 204);
        assertTrue(expect(imported.admin().get(imported.adminPath("")), 200).body().contains(FUNCTION_SECRET));
        assertEquals(200, functionLogin(imported, "second", "otto").status());
        assertFalse(expect(imported.admin().get(imported.adminPath("")), 200).body().contains(FUNCTION_SECRET));
        assertEquals(1, expect(imported.admin().get(imported.adminPath(COMPONENTS + "&name=function.second")), 200)
                .json().size());
    }

    @Test
    void aRealmMadeFromAPartialExportHasNoSecretsUntilTheyAreSetAgain() throws Exception {
        TestRealm realm = realm("secrets-export");
        expect(realm.admin().put(realm.adminPath("/app-users/functions/login"), map("kind", "login",
                "url", functions.url("/login"), "secret", FUNCTION_SECRET)), 200);
        expect(realm.updateSettings(map("custom_token", map("enabled", true, "issuer", ISSUER, "audience", AUDIENCE,
                "hs256_secret", HS256_SECRET))), 200);
        com.fasterxml.jackson.databind.node.ObjectNode export = (com.fasterxml.jackson.databind.node.ObjectNode)
                expect(realm.admin().post(realm.adminPath("/partial-export?exportClients=true"), null), 200).json();
        String copy = realm.name() + "-copy";
        withoutIds(export);
        export.put("realm", copy);
        expect(realm.admin().post("/realms", export), 201);
        try {
            TestRealm copied = TestRealm.existing(copy);
            // The export held "**********" for both secrets: neither signs nor verifies anything.
            ApiResponse login = functionLogin(copied, "login", "copy-user");
            assertEquals(502, login.status(), login.toString());
            assertEquals("invalid_grant", jwtLogin(copied, TestJwts.hs256("**********", claims("mask-user"))).error());
            // Set again, they work.
            expect(copied.admin().put(copied.adminPath("/app-users/functions/login"), map("kind", "login",
                    "url", functions.url("/login"), "secret", FUNCTION_SECRET)), 200);
            assertEquals(200, functionLogin(copied, "login", "copy-user").status());
        } finally {
            realm.admin().delete("/realms/" + copy);
        }
    }

    @Test
    void aWeakHs256SecretOfAnEarlierVersionVerifiesNothing() throws Exception {
        String weak = "short-legacy-secret";
        TestRealm legacy = TestRealm.create("secrets-weak", map("custom_token", map("enabled", true, "issuer", ISSUER,
                "audience", AUDIENCE, "hs256_secret", weak)));
        assertEquals("invalid_grant", jwtLogin(legacy, TestJwts.hs256(weak, claims("weak-user"))).error());
    }

    /** The export's ids belong to the exported realm: a new realm made from it gets its own. */
    private static void withoutIds(JsonNode node) {
        if (node.isObject()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove(List.of("id", "containerId", "parentId"));
        }
        node.forEach(StoredSecretsIT::withoutIds);
    }

    private static Map<String, Object> claims(String sub) {
        long now = Instant.now().getEpochSecond();
        return map("iss", ISSUER, "aud", AUDIENCE, "sub", sub, "iat", now, "exp", now + 300);
    }

    private static ApiResponse jwtLogin(TestRealm realm, String jwt) {
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:custom-token", "client_id", TestRealm.APP_CLIENT, "token", jwt));
    }
}
