package io.github.appusers.functions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The realm's functions as the form of the admin console tab: a key/value list (name to
 * {@code kind url [timeout_ms]}) that shows every function, and a write-only pair of fields that
 * sets one function's secret. Pure logic: {@link FunctionRegistry} decides what is valid.
 */
public final class FunctionsForm {

    public static final String FUNCTIONS = "functions";
    public static final String SECRET_FUNCTION = "secret_function";
    public static final String SECRET = "secret";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionsForm() {
    }

    /** What the console submitted: the wanted functions (without secrets) and maybe one new secret. */
    public record Submission(Map<String, ObjectNode> functions, String secretFunction, String secret) {
    }

    public static List<ProviderConfigProperty> properties() {
        ProviderConfigProperty functions = new ProviderConfigProperty(FUNCTIONS, "Functions",
                "One row per function. Key: its name. Value: its kind (login, confirmation, reset or call), its URL"
                        + " and optionally its timeout in milliseconds, separated by spaces, for example"
                        + " \"login https://app.example/login 5000\". Remove a row to delete the function.",
                ProviderConfigProperty.MAP_TYPE, null);
        ProviderConfigProperty secretFunction = new ProviderConfigProperty(SECRET_FUNCTION, "Set the secret of",
                "Name of a function in the list whose signing secret to set; a new function needs one.",
                ProviderConfigProperty.STRING_TYPE, null);
        ProviderConfigProperty secret = new ProviderConfigProperty(SECRET, "New secret",
                "The function's new signing secret (16 to 512 characters). Never shown back.",
                ProviderConfigProperty.PASSWORD, null, true);
        return List.of(functions, secretFunction, secret);
    }

    /** What the tab shows: every function, never a secret. */
    public static MultivaluedHashMap<String, String> toConfig(List<FunctionDefinition> functions) {
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        if (functions.isEmpty()) {
            return config;
        }
        ArrayNode rows = JSON.createArrayNode();
        for (FunctionDefinition function : functions) {
            rows.addObject()
                    .put("key", function.name)
                    .put("value", function.kind.name() + " " + function.url + " " + function.timeoutMs);
        }
        config.putSingle(FUNCTIONS, rows.toString());
        return config;
    }

    public static Submission parse(MultivaluedHashMap<String, String> config) throws FunctionRegistry.InvalidFunctionException {
        Map<String, ObjectNode> functions = new LinkedHashMap<>();
        String rows = first(config, FUNCTIONS);
        if (rows != null) {
            JsonNode list;
            try {
                list = JSON.readTree(rows);
            } catch (JsonProcessingException e) {
                list = null;
            }
            if (list == null || !list.isArray()) {
                throw new FunctionRegistry.InvalidFunctionException("the function list is not a list of key/value rows");
            }
            for (JsonNode row : list) {
                String name = row.path("key").asText("").trim();
                if (name.isEmpty()) {
                    continue; // the console's not yet filled row
                }
                if (functions.containsKey(name)) {
                    throw new FunctionRegistry.InvalidFunctionException("function '" + name + "' is listed twice");
                }
                functions.put(name, request(name, row.path("value").asText("")));
            }
        }
        return new Submission(functions, first(config, SECRET_FUNCTION), first(config, SECRET));
    }

    private static ObjectNode request(String name, String value) throws FunctionRegistry.InvalidFunctionException {
        String[] parts = value.trim().split("\\s+");
        if (parts.length < 2 || parts.length > 3) {
            throw new FunctionRegistry.InvalidFunctionException("function '" + name
                    + "': write its kind, its URL and optionally its timeout in milliseconds, separated by spaces");
        }
        ObjectNode request = JSON.createObjectNode().put("kind", parts[0]).put("url", parts[1]);
        if (parts.length == 3) {
            try {
                request.put("timeout_ms", Integer.parseInt(parts[2]));
            } catch (NumberFormatException e) {
                throw new FunctionRegistry.InvalidFunctionException("function '" + name
                        + "': timeout_ms must be a whole number");
            }
        }
        return request;
    }

    private static String first(MultivaluedHashMap<String, String> config, String key) {
        List<String> values = config.get(key);
        if (values == null) {
            return null;
        }
        return values.stream().filter(v -> v != null && !v.isBlank()).findFirst().orElse(null);
    }
}
