package io.github.appusers.examples;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.ExampleServerProcess;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/function-server/FunctionServer.java, run as its README says (the JDK's source
 * launcher, no build), works with the extension: custom-function login, a call function, and
 * signature checking against the real signatures Keycloak sends.
 */
class ExampleFunctionServerIT extends IntegrationTest {

    private static final String GRANT = "urn:app-users:grant-type:custom-function";
    private static final String SECRET = "example-function-server-test-secret";
    private static ExampleServerProcess example;
    private static String baseUrl;
    private static TestRealm realm;

    @BeforeAll
    static void startTheExample() throws Exception {
        example = ExampleServerProcess.start("example-function-server.log", Map.of("FUNCTION_SECRET", SECRET));
        baseUrl = example.baseUrl();

        realm = TestRealm.create("example-functions", map("custom_function", map("enabled", true)));
        putFunction("demo-login", "login", "/login", SECRET);
        putFunction("hello", "call", "/hello", SECRET);
        putFunction("login-wrong-secret", "login", "/login", "not-the-example-secret");
    }

    @AfterAll
    static void stopTheExample() throws InterruptedException {
        if (example != null) {
            example.close();
        }
    }

    private static void putFunction(String name, String kind, String path, String secret) {
        expect(realm.admin().put(realm.adminPath("/app-users/functions/" + name),
                map("kind", kind, "url", baseUrl + path, "secret", secret, "timeout_ms", 5000)), 200);
    }

    private static ApiResponse login(String function, String payload) {
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", GRANT,
                "client_id", TestRealm.APP_CLIENT, "function", function, "payload", payload));
    }

    private static String alicesToken() {
        return expect(login("demo-login", "{\"username\": \"alice\", \"pin\": \"1234\"}"), 200).json()
                .get("access_token").asText();
    }

    @Test
    void aliceLogsInWithHerPinAndIsTheSameUserEveryTime() {
        String first = alicesToken();
        String userId = Jwt.claims(first).get("sub").asText();
        assertEquals(userId, Jwt.claims(alicesToken()).get("sub").asText(), "the second login finds the same user");

        JsonNode me = expect(realm.api().get(realm.path("/app-users/me"), first), 200).json();
        assertEquals(userId, me.get("id").asText());
        assertEquals(1, me.get("identities").size());
        assertEquals("custom-function", me.at("/identities/0/provider_type").asText());
        assertEquals("demo:alice", me.at("/identities/0/id").asText());
        JsonNode user = expect(realm.admin().get(realm.adminPath("/users/" + userId)), 200).json();
        assertEquals("alice", user.get("firstName").asText(), "the function's name becomes the first name");
    }

    @Test
    void aWrongPinOrABadUsernameIsRefused() {
        for (String payload : new String[] {
                "{\"username\": \"alice\", \"pin\": \"0000\"}",
                "{\"username\": \"alice\"}",
                "{\"username\": \"not allowed!\", \"pin\": \"1234\"}",
                "{\"pin\": \"1234\"}"}) {
            ApiResponse refused = login("demo-login", payload);
            assertEquals(401, refused.status(), payload + ": " + refused);
            assertEquals("function_failed", refused.error(), payload);
            assertTrue(refused.json().get("error_description").asText().contains("wrong username or pin"),
                    refused.toString());
        }
    }

    @Test
    void helloGreetsTheCallerByTheirVerifiedId() {
        String token = alicesToken();
        String userId = Jwt.claims(token).get("sub").asText();
        JsonNode answer = expect(realm.api().postJson(realm.path("/app-users/functions/hello"), token,
                map("name", "world \"quoted\" \u00e9")), 200).json();
        assertEquals("Hello, world \"quoted\" \u00e9!", answer.get("message").asText());
        assertEquals(userId, answer.get("user_id").asText());

        JsonNode noName = expect(realm.api().postJson(realm.path("/app-users/functions/hello"), token, map()), 200)
                .json();
        assertEquals("Hello, there!", noName.get("message").asText());
        assertEquals(userId, noName.get("user_id").asText());
    }

    @Test
    void aFunctionConfiguredWithAnotherSecretIsRefusedByTheExample() throws IOException {
        ApiResponse refused = login("login-wrong-secret", "{\"username\": \"alice\", \"pin\": \"1234\"}");
        assertEquals("function_failed", refused.error(), refused.toString());
        assertTrue(refused.json().get("error_description").asText().contains("bad signature"), refused.toString());
        assertTrue(example.log().contains("401 bad signature (signature mismatch)"), "the example logs why");
    }

    @Test
    void theExampleRefusesUnsignedStaleOrForgedCallsAndAcceptsGoodOnes() {
        String body = "{\"payload\": {\"username\": \"bob\", \"pin\": \"1234\"}}";
        long now = Instant.now().getEpochSecond();
        Api direct = new Api(baseUrl);

        ApiResponse good = direct.send("POST", "/login", null, "application/json", body,
                Map.of("X-App-Users-Signature", signature(SECRET, now, body)));
        assertEquals(200, good.status(), good.toString());
        assertEquals("demo:bob", good.json().get("id").asText());

        assertBadSignature(direct.send("POST", "/login", null, "application/json", body));
        assertBadSignature(direct.send("POST", "/login", null, "application/json", body,
                Map.of("X-App-Users-Signature", signature(SECRET, now - 400, body))));
        assertBadSignature(direct.send("POST", "/login", null, "application/json", body,
                Map.of("X-App-Users-Signature", signature(SECRET, now + 400, body))));
        assertBadSignature(direct.send("POST", "/login", null, "application/json", body + " ",
                Map.of("X-App-Users-Signature", signature(SECRET, now, body))));
        assertBadSignature(direct.send("POST", "/login", null, "application/json", body,
                Map.of("X-App-Users-Signature", "t=" + now + ",v1=")));
        assertBadSignature(direct.send("POST", "/login", null, "application/json", body,
                Map.of("X-App-Users-Signature", "garbage")));
        String log = example.log();
        assertTrue(!log.contains(SECRET) && !log.contains("\"pin\""), "neither the secret nor payloads are logged");
    }

    @Test
    void theDemoRealmFileHasBothFunctionsWithTheExamplesDefaultSecret() throws IOException {
        ObjectNode rep = (ObjectNode) Api.JSON.readTree(Files.readString(ExampleServerProcess.PROJECT.resolve("realm-config/demo-realm.json")));
        String demo = "demo-functions-" + UUID.randomUUID().toString().substring(0, 8);
        rep.put("realm", demo);
        expect(admin().post("/realms", rep), 201);
        try {
            JsonNode login = expect(admin().get("/realms/" + demo + "/app-users/functions/demo-login"), 200).json();
            assertEquals("login", login.get("kind").asText());
            assertEquals("http://127.0.0.1:8099/login", login.get("url").asText());
            assertEquals(5000, login.get("timeout_ms").asInt());
            assertTrue(!login.has("secret"));
            JsonNode hello = expect(admin().get("/realms/" + demo + "/app-users/functions/hello"), 200).json();
            assertEquals("call", hello.get("kind").asText());
            assertEquals("http://127.0.0.1:8099/hello", hello.get("url").asText());
        } finally {
            admin().delete("/realms/" + demo);
        }
        // run.sh starts the example with its default secret: the realm file's stored secrets must be the same.
        String source = Files.readString(ExampleServerProcess.SOURCE);
        JsonNode secrets = rep.at("/components/io.github.appusers.secrets.AppUsersSecret");
        for (String function : new String[] {"demo-login", "hello"}) {
            String secret = null;
            for (JsonNode component : secrets) {
                if (("function." + function).equals(component.get("name").asText())) {
                    secret = component.at("/config/value/0").asText();
                }
            }
            assertTrue(secret != null && source.contains("DEFAULT_SECRET = \"" + secret + "\";"), function);
            assertFalse(rep.get("attributes").get("app-users.function." + function).asText().contains("secret"));
        }
    }

    private static void assertBadSignature(ApiResponse response) {
        assertEquals(401, response.status(), response.toString());
        assertEquals("bad signature", response.error());
    }

    private static String signature(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            mac.update(body.getBytes(StandardCharsets.UTF_8));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
