package io.github.appusers.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;

class FunctionsFormTest {

    private static FunctionDefinition function(String name, String url, int timeoutMs) {
        FunctionDefinition function = new FunctionDefinition();
        function.name = name;
        function.kind = FunctionDefinition.Kind.login;
        function.url = url;
        function.secret = "a-secret-that-must-never-show";
        function.timeoutMs = timeoutMs;
        return function;
    }

    @Test
    void theFormListsEveryFunctionWithoutItsSecret() throws Exception {
        MultivaluedHashMap<String, String> config = FunctionsForm.toConfig(List.of(
                function("login", "https://app.example/login", 5000), function("other", "https://app.example/o", 100)));
        assertFalse(config.toString().contains("a-secret-that-must-never-show"));

        FunctionsForm.Submission parsed = FunctionsForm.parse(config);
        assertEquals(List.of("login", "other"), List.copyOf(parsed.functions().keySet()));
        assertEquals("login", parsed.functions().get("login").get("kind").asText());
        assertEquals("https://app.example/login", parsed.functions().get("login").get("url").asText());
        assertEquals(100, parsed.functions().get("other").get("timeout_ms").asInt());
        assertNull(parsed.secret());
    }

    @Test
    void noFunctionsIsAnEmptyForm() throws Exception {
        assertTrue(FunctionsForm.toConfig(List.of()).isEmpty());
        assertTrue(FunctionsForm.parse(new MultivaluedHashMap<>()).functions().isEmpty());
    }

    @Test
    void rowsMustBeKindUrlAndOptionalTimeout() {
        for (String value : List.of("login", "login https://a.example 5 extra", "login https://a.example soon")) {
            MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
            config.putSingle(FunctionsForm.FUNCTIONS, "[{\"key\":\"f\",\"value\":\"" + value + "\"}]");
            assertThrows(FunctionRegistry.InvalidFunctionException.class, () -> FunctionsForm.parse(config), value);
        }
        MultivaluedHashMap<String, String> twice = new MultivaluedHashMap<>();
        twice.putSingle(FunctionsForm.FUNCTIONS, "[{\"key\":\"f\",\"value\":\"call https://a.example\"},"
                + "{\"key\":\"f\",\"value\":\"call https://b.example\"}]");
        assertThrows(FunctionRegistry.InvalidFunctionException.class, () -> FunctionsForm.parse(twice));
    }
}
