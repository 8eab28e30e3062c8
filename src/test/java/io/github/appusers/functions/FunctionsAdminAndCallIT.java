package io.github.appusers.functions;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FunctionsAdminAndCallIT extends IntegrationTest {

    private static final String SECRET = CustomFunctionLoginIT.SECRET;
    private static FunctionServer functions;
    private static TestRealm realm;

    @BeforeAll
    static void setUp() throws Exception {
        functions = new FunctionServer(SECRET)
                .on("/echo", body -> Answer.json(map("you", body.at("/user/id").asText(),
                        "identities", body.at("/user/identities"), "sum", body.at("/arguments/a").asInt()
                                + body.at("/arguments/b").asInt())))
                .on("/fails", body -> new Answer(500, "oops", Map.of()))
                .on("/slow", body -> {
                    // A slow function, the behaviour under test: it answers long after its 300 ms timeout.
                    Thread.sleep(2000);
                    return Answer.json(map("late", true));
                });
        realm = TestRealm.create("functions-call", map("custom_function", map("enabled", true)));
        CustomFunctionLoginIT.putFunction(realm, "echo", "call", functions.url("/echo"), 2000);
        CustomFunctionLoginIT.putFunction(realm, "fails", "call", functions.url("/fails"), 2000);
        CustomFunctionLoginIT.putFunction(realm, "slow", "call", functions.url("/slow"), 300);
        CustomFunctionLoginIT.putFunction(realm, "login-only", "login", functions.url("/echo"), 2000);
    }

    @AfterAll
    static void tearDown() {
        functions.close();
    }

    private static String userToken(String username) {
        realm.createUser(username, username + "-password");
        return realm.passwordLogin(username, username + "-password").get("access_token").asText();
    }

    @Test
    void aCallFunctionRunsAsTheVerifiedUserAndItsAnswerIsRelayed() {
        String token = userToken("caller");
        JsonNode me = expect(realm.api().get(realm.path("/app-users/me"), token), 200).json();
        JsonNode answer = expect(realm.api().postJson(realm.path("/app-users/functions/echo"), token,
                map("a", 2, "b", 3)), 200).json();
        assertEquals(me.get("id").asText(), answer.get("you").asText());
        assertEquals(5, answer.get("sum").asInt());
        assertTrue(functions.calls("/echo").get(0).signatureValid());
        assertTrue(functions.calls("/echo").get(0).body().at("/user/custom_data").isObject());
    }

    @Test
    void callsWithoutATokenOrToUnknownFunctionsAreRefused() {
        int before = functions.calls("/echo").size();
        ApiResponse noToken = realm.api().postJson(realm.path("/app-users/functions/echo"), null, map("a", 1));
        assertEquals(401, noToken.status());
        assertEquals("invalid_token", noToken.error());
        String token = userToken("caller2");
        assertEquals(404, realm.api().postJson(realm.path("/app-users/functions/nope"), token, map()).status());
        assertEquals("not_found", realm.api().postJson(realm.path("/app-users/functions/login-only"), token, map())
                .error());
        ApiResponse broken = realm.api().send("POST", realm.path("/app-users/functions/echo"), token,
                "application/json", "{\"a\": ");
        assertEquals(400, broken.status());
        assertEquals(before, functions.calls("/echo").size());
    }

    @Test
    void failingAndSlowFunctionsGiveClearErrors() {
        String token = userToken("caller3");
        ApiResponse failed = realm.api().postJson(realm.path("/app-users/functions/fails"), token, map());
        assertEquals(502, failed.status());
        assertEquals("function_failed", failed.error());
        ApiResponse slow = realm.api().postJson(realm.path("/app-users/functions/slow"), token, map());
        assertEquals(504, slow.status());
        assertEquals("function_timeout", slow.error());
    }

    @Test
    void adminsManageFunctionsAndNeverSeeTheSecret() {
        TestRealm own = TestRealm.create("functions-admin", null);
        String path = own.adminPath("/app-users/functions/greeter");
        JsonNode created = expect(own.admin().put(path, map("kind", "call", "url", "https://fn.example.test/greet",
                "secret", "0123456789abcdef-secret")), 200).json();
        assertFalse(created.has("secret"));
        assertEquals(5000, created.get("timeout_ms").asInt());
        JsonNode listed = expect(own.admin().get(own.adminPath("/app-users/functions")), 200).json();
        assertEquals(1, listed.size());
        assertFalse(listed.get(0).has("secret"));
        assertFalse(expect(own.admin().get(path), 200).body().contains("0123456789abcdef-secret"));

        // Updating without a secret keeps the old one.
        expect(own.admin().put(path, map("kind", "call", "url", "https://fn.example.test/v2")), 200);
        assertEquals("https://fn.example.test/v2", expect(own.admin().get(path), 200).json().get("url").asText());

        // The export carries the function (with its secret, like client secrets, for import elsewhere).
        JsonNode export = expect(own.admin().post(own.adminPath("/partial-export"), null), 200).json();
        assertTrue(export.at("/attributes/app-users.function.greeter").asText().contains("fn.example.test/v2"));

        expect(own.admin().delete(path), 204);
        assertEquals(404, own.admin().get(path).status());
        assertEquals(404, own.admin().delete(path).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"kind\": \"call\", \"url\": \"http://fn.example.test/x\", \"secret\": \"0123456789abcdef\"}",
            "{\"kind\": \"call\", \"url\": \"http://10.0.0.1/x\", \"secret\": \"0123456789abcdef\"}",
            "{\"kind\": \"call\", \"url\": \"ftp://127.0.0.1/x\", \"secret\": \"0123456789abcdef\"}",
            "{\"kind\": \"call\", \"url\": \"https://user:pw@fn.example.test/x\", \"secret\": \"0123456789abcdef\"}",
            "{\"kind\": \"banana\", \"url\": \"https://fn.example.test/x\", \"secret\": \"0123456789abcdef\"}",
            "{\"kind\": \"call\", \"url\": \"https://fn.example.test/x\"}",
            "{\"kind\": \"call\", \"url\": \"https://fn.example.test/x\", \"secret\": \"short\"}",
            "{\"kind\": \"call\", \"url\": \"https://fn.example.test/x\", \"secret\": 12345678901234567}",
            "{\"kind\": \"call\", \"url\": \"https://fn.example.test/x\", \"secret\": \"0123456789abcdef\", \"timeout_ms\": 0}",
            "{\"kind\": \"call\", \"url\": \"https://fn.example.test/x\", \"secret\": \"0123456789abcdef\", \"timeout_ms\": \"5\"}",
            "{\"kind\": \"call\", \"url\": \"https://fn.example.test/x\", \"secret\": \"0123456789abcdef\", \"extra\": 1}",
            "{\"kind\": \"call\"",
            "[]"
    })
    void invalidFunctionDefinitionsAreRefused(String body) {
        TestRealm own = TestRealm.create("functions-invalid", null);
        ApiResponse response = own.api().send("PUT", "/admin" + own.adminPath("/app-users/functions/f1"),
                own.admin().token(), "application/json", body);
        assertEquals(400, response.status(), response.toString());
        assertEquals("invalid_request", response.error());
        assertEquals(0, expect(own.admin().get(own.adminPath("/app-users/functions")), 200).json().size());
    }

    @Test
    void badFunctionNamesAreRefused() {
        ApiResponse response = realm.admin().put(realm.adminPath("/app-users/functions/bad%20name"),
                map("kind", "call", "url", "https://fn.example.test/x", "secret", "0123456789abcdef"));
        assertEquals(400, response.status());
    }
}
