package io.github.appusers.functions;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every signed function request carries {@code context}: the realm, the OAuth client of the
 * request (null where there is none) and the client's address as Keycloak sees it, beside the
 * fields each kind of function received before.
 */
class FunctionRequestContextIT extends IntegrationTest {

    private static final String SECRET = "context-function-secret";

    private static FunctionServer functions;
    private static TestRealm realm;

    @BeforeAll
    static void setUp() throws Exception {
        functions = new FunctionServer(SECRET)
                .on("/login", body -> Answer.json(map("id", body.at("/payload/id").asText())))
                .on("/call", body -> Answer.json(map("ok", true)))
                .on("/confirm", body -> Answer.json(map("status", "success")))
                .on("/reset", body -> Answer.json(map("status", "fail")));
        realm = TestRealm.create("fn-context", map(
                "custom_function", map("enabled", true),
                "anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                "email_password", map("enabled", true, "confirmation", "function", "confirmation_function", "confirm",
                        "reset", "function", "reset_function", "reset")), map("resetPasswordAllowed", true));
        realm.relaxUserProfile();
        for (String kind : new String[] {"login", "call", "confirmation", "reset"}) {
            String name = kind.equals("confirmation") ? "confirm" : kind;
            expect(realm.admin().put(realm.adminPath("/app-users/functions/" + name), map("kind", kind,
                    "url", functions.url("/" + name), "secret", SECRET)), 200);
        }
    }

    @AfterAll
    static void tearDown() {
        functions.close();
    }

    /** The newest call of the function at {@code path} whose body matches. */
    private static FunctionServer.Call newest(String path, java.util.function.Predicate<JsonNode> which) {
        return functions.calls(path).stream().filter(call -> which.test(call.body())).reduce((a, b) -> b).orElseThrow();
    }

    private static Set<String> fields(JsonNode body) {
        Set<String> names = new TreeSet<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The context of a request from this test: this realm, the given client, a loopback address. */
    private static void assertContext(FunctionServer.Call call, String clientId) throws Exception {
        assertTrue(call.signatureValid(), "the context is inside the signed body");
        JsonNode context = call.body().get("context");
        assertEquals(Set.of("realm", "client_id", "client_address"), fields(context), context.toString());
        assertEquals(realm.name(), context.get("realm").asText());
        if (clientId == null) {
            assertTrue(context.get("client_id").isNull(), context.toString());
        } else {
            assertEquals(clientId, context.get("client_id").asText());
        }
        String address = context.get("client_address").asText();
        // The test talks to Keycloak over loopback (IPv4 or IPv6, as "localhost" resolves).
        assertTrue(address.matches("[0-9a-fA-F:.]+") && InetAddress.getByName(address).isLoopbackAddress(), address);
    }

    private static JsonNode login(String clientId, String secret, String id, Map<String, String> headers) {
        Map<String, String> form = Api.form("grant_type", CustomFunctionLoginIT.GRANT, "client_id", clientId,
                "function", "login", "payload", "{\"id\": \"" + id + "\"}");
        if (secret != null) {
            form.put("client_secret", secret);
        }
        return expect(realm.api().postForm(realm.tokenEndpoint(), null, form, headers), 200).json();
    }

    @Test
    void aLoginFunctionHearsTheRealmTheClientAndTheAddress() throws Exception {
        login(TestRealm.APP_CLIENT, null, "ctx-app", Map.of());
        FunctionServer.Call call = newest("/login", body -> "ctx-app".equals(body.at("/payload/id").asText()));
        assertEquals(Set.of("payload", "context"), fields(call.body()));
        assertEquals(map("id", "ctx-app"), Api.JSON.convertValue(call.body().get("payload"), Map.class));
        assertContext(call, TestRealm.APP_CLIENT);

        login(TestRealm.SERVICE_CLIENT, TestRealm.SERVICE_SECRET, "ctx-service", Map.of());
        assertContext(newest("/login", body -> "ctx-service".equals(body.at("/payload/id").asText())),
                TestRealm.SERVICE_CLIENT);
    }

    @Test
    void theAddressIsKeycloaksNotAForwardingHeaderTheClientSent() throws Exception {
        login(TestRealm.APP_CLIENT, null, "ctx-forged", Map.of("X-Forwarded-For", "198.51.100.23",
                "Forwarded", "for=198.51.100.24", "X-Real-IP", "198.51.100.25"));
        FunctionServer.Call call = newest("/login", body -> "ctx-forged".equals(body.at("/payload/id").asText()));
        assertContext(call, TestRealm.APP_CLIENT);
        assertNotEquals("198.51.100.23", call.body().at("/context/client_address").asText());
    }

    @Test
    void callFunctionsAndLinksHearTheClientOfTheToken() throws Exception {
        JsonNode guest = expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT)), 200).json();
        String token = guest.get("access_token").asText();

        expect(realm.api().postJson(realm.path("/app-users/functions/call"), token, map("marker", "ctx-call")), 200);
        FunctionServer.Call call = newest("/call", body -> "ctx-call".equals(body.at("/arguments/marker").asText()));
        assertEquals(Set.of("user", "arguments", "context"), fields(call.body()));
        assertContext(call, TestRealm.APP_CLIENT);

        expect(realm.api().postJson(realm.path("/app-users/me/identities"), token,
                map("type", "custom-function", "function", "login", "payload", map("id", "ctx-link"))), 201);
        assertContext(newest("/login", body -> "ctx-link".equals(body.at("/payload/id").asText())),
                TestRealm.APP_CLIENT);
    }

    @Test
    void emailPasswordFunctionsHearNoClientAsTheirEndpointsHaveNone() throws Exception {
        String email = "ctx-" + System.nanoTime() + "@example.test";
        expect(realm.api().postJson(realm.path("/app-users/email-password/register"), null,
                map("email", email, "password", "ctx-password")), 202);
        FunctionServer.Call confirm = newest("/confirm", body -> email.equals(body.path("email").asText()));
        assertEquals(Set.of("email", "token", "token_id", "context"), fields(confirm.body()));
        assertContext(confirm, null);

        expect(realm.api().postJson(realm.path("/app-users/email-password/reset/call-function"), null,
                map("email", email, "password", "new-ctx-password", "arguments", map("answer", 42))), 202);
        FunctionServer.Call reset = newest("/reset", body -> email.equals(body.path("email").asText()));
        assertEquals(Set.of("email", "password", "token", "token_id", "arguments", "context"), fields(reset.body()));
        assertContext(reset, null);
    }
}
