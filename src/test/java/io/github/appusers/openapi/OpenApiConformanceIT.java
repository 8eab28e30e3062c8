package io.github.appusers.openapi;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.openapi.OpenApiDocument.Operation;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code openapi/app-users.yaml} against the running server: every documented operation is
 * called with the least authorisation it documents (a user's token, or a realm user holding only
 * the operation's {@code x-required-roles}) and the document's own example input, and must answer
 * a status the document lists, never a routing 404, a 405 or a 5xx, with a body that matches the
 * documented schema. Secured operations are also called without a token, and admin operations by a
 * user without roles, and must refuse as documented.
 */
class OpenApiConformanceIT extends IntegrationTest {

    private static final String PASSWORD = "a-good-password";
    private static final String FUNCTION_SECRET = "openapi-function-secret";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Map<List<String>, CachedToken> ROLE_TOKENS = new HashMap<>();
    private static final Map<String, Integer> STATUSES = new LinkedHashMap<>();

    private static OpenApiDocument document;
    private static SchemaValidator validator;
    private static TestRealm realm;
    private static FunctionServer functions;
    private static String realmManagementId;

    @BeforeAll
    static void setUp() throws Exception {
        document = OpenApiDocument.load();
        validator = new SchemaValidator(document);
        functions = new FunctionServer(FUNCTION_SECRET)
                .on("/echo", body -> Answer.json(map("echo", body.get("arguments"))));
        realm = TestRealm.create("openapi", map(
                "anonymous", map("enabled", true),
                "email_password", map("enabled", true, "confirmation", "auto"),
                "custom_function", map("enabled", true),
                "custom_token", map("enabled", true, "issuer", "https://issuer.example", "audience", "conformance",
                        "hs256_secret", "0123456789abcdef0123456789abcdef"),
                "custom_data", map("user_writable", true),
                "api_keys", map("enabled", true)), map("resetPasswordAllowed", true)).relaxUserProfile();
        putFunction("hello", "call");
        realmManagementId = expect(realm.admin().get(realm.adminPath("/clients?clientId=realm-management")), 200)
                .json().get(0).get("id").asText();
    }

    @AfterAll
    static void tearDown() {
        if (functions != null) {
            functions.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyOperationAnswersAsDocumentedWithItsLeastAuthorisation() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Operation op : document.operations()) {
            for (Variant variant : variants(op)) {
                tests.add(DynamicTest.dynamicTest(op.key() + variant.label(), () -> {
                    Caller caller = caller(op);
                    ApiResponse response = send(op, variant, caller.token(), caller);
                    STATUSES.put(op.key() + variant.label(), response.status());
                    assertDocumented(op, response);
                }));
            }
        }
        assertTrue(tests.size() > 45, "operations found: " + tests.size());
        int calls = tests.size();
        // Harmless input must still reach real work: most calls succeed, the rest are refusals of ours.
        tests.add(DynamicTest.dynamicTest("most calls reached the operation's success path", () -> {
            assertEquals(calls, STATUSES.size(), STATUSES.toString());
            Map<String, Integer> refused = new java.util.TreeMap<>();
            STATUSES.forEach((call, status) -> {
                if (status >= 300) {
                    refused.put(call, status);
                }
            });
            System.out.println("OpenApiConformanceIT: " + (calls - refused.size()) + " of " + calls
                    + " calls succeeded; refused as documented: " + refused);
            assertTrue(calls - refused.size() >= 40, calls - refused.size() + " of " + calls
                    + " calls succeeded; the others: " + refused);
        }));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everySecuredOperationRefusesACallWithoutToken() {
        return document.operations().stream().filter(OpenApiConformanceIT::needsToken)
                .map(op -> DynamicTest.dynamicTest(op.key(), () -> {
                    ApiResponse response = send(op, variants(op).get(0), null, new Caller(null, null));
                    assertEquals(401, response.status(), response.toString());
                    assertDocumented(op, response);
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyAdminOperationRefusesAUserWithoutItsRole() {
        return document.operations().stream().filter(op -> op.path().startsWith("/admin/"))
                .map(op -> DynamicTest.dynamicTest(op.key(), () -> {
                    Caller nobody = new Caller(roleToken(List.of()), null);
                    ApiResponse response = send(op, variants(op).get(0), nobody.token(), nobody);
                    assertEquals(403, response.status(), response.toString());
                    assertDocumented(op, response);
                }));
    }

    // ---------------------------------------------------------------- what the document says

    /** One request body (media type and example), or none. */
    record Variant(String mediaType, String exampleName, JsonNode body) {
        String label() {
            return mediaType == null ? "" : " " + mediaType + (exampleName == null ? "" : " (" + exampleName + ")");
        }
    }

    /** Every documented media type of the body, with its examples (or another media type's example). */
    private static List<Variant> variants(Operation op) {
        JsonNode content = document.resolve(op.node().path("requestBody")).path("content");
        List<Variant> variants = new ArrayList<>();
        JsonNode anyExample = null;
        for (JsonNode media : content) {
            if (media.has("example")) {
                anyExample = media.get("example");
                break;
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> media = it.next();
            if (media.getValue().has("examples")) {
                media.getValue().get("examples").fields().forEachRemaining(example ->
                        variants.add(new Variant(media.getKey(), example.getKey(), example.getValue().get("value"))));
            } else {
                JsonNode example = media.getValue().has("example") ? media.getValue().get("example") : anyExample;
                assertNotNull(example, op + " documents no example body for " + media.getKey());
                variants.add(new Variant(media.getKey(), null, example));
            }
        }
        if (variants.isEmpty()) {
            variants.add(new Variant(null, null, null));
        }
        return variants;
    }

    private static boolean needsToken(Operation op) {
        for (JsonNode requirement : op.node().path("security")) {
            if (requirement.isEmpty()) {
                return false;
            }
        }
        return !op.node().path("security").isEmpty();
    }

    private static String scheme(Operation op) {
        JsonNode first = op.node().path("security").path(0);
        return first.isObject() && first.size() > 0 ? first.fieldNames().next() : "none";
    }

    /** The status must be documented, and the body must match what the document says for it. */
    private static void assertDocumented(Operation op, ApiResponse response) {
        int status = response.status();
        assertNotEquals(405, status, "routing refused the method: " + response);
        assertTrue(status < 500, "server error: " + response);
        JsonNode documented = document.resolve(op.node().path("responses").path(String.valueOf(status)));
        if (documented == null || documented.isMissingNode()) {
            fail(op + " answered " + status + ", which the document does not list: " + response.body());
        }
        if (status == 404) {
            // Ours (no such user, key, ...), not RESTEasy's "no such path".
            assertEquals("not_found", response.json().path("error").asText(), "routing 404? " + response);
        }
        JsonNode content = documented.path("content");
        String contentType = response.header("Content-Type");
        if (content.isEmpty()) {
            assertTrue(response.body().isEmpty(), op + " " + status + " documents no body: " + response.body());
            return;
        }
        assertNotNull(contentType, op + " " + status + " has no Content-Type");
        String mediaType = contentType.split(";")[0].trim();
        JsonNode media = content.path(mediaType);
        assertFalse(media.isMissingNode(), op + " " + status + " answered " + mediaType + ", documented: "
                + content.properties().stream().map(Map.Entry::getKey).toList());
        if (mediaType.equals("application/json")) {
            List<String> problems = validator.validate(response.json(), media.path("schema"));
            assertEquals(List.of(), problems, op + " " + status + " body does not match the schema: " + response.body());
        }
        documented.path("headers").fieldNames().forEachRemaining(header -> {
            if (!header.equals("Retry-After")) {
                assertNotNull(response.header(header), op + " " + status + " lacks the documented header " + header);
            }
        });
    }

    // ---------------------------------------------------------------- calling the server

    /** Who calls: a token (or none), and the user it belongs to (for /me/api-keys/{id}). */
    record Caller(String token, String userId) {
    }

    private static Caller caller(Operation op) {
        return switch (scheme(op)) {
            case "userToken" -> {
                String username = "caller-" + COUNTER.incrementAndGet();
                String id = realm.createUser(username, PASSWORD);
                yield new Caller(realm.passwordLogin(username, PASSWORD).get("access_token").asText(), id);
            }
            case "adminToken" -> {
                List<String> roles = new ArrayList<>();
                op.node().path("x-required-roles").forEach(role -> roles.add(role.asText()));
                yield new Caller(roleToken(roles), null);
            }
            default -> new Caller(null, null);
        };
    }

    private static ApiResponse send(Operation op, Variant variant, String token, Caller caller) {
        Map<String, String> pathValues = new HashMap<>();
        String path = op.path();
        Matcher matcher = PLACEHOLDER.matcher(path);
        StringBuilder url = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = pathValues.computeIfAbsent(name, n -> pathValue(op, n, caller, pathValues));
            matcher.appendReplacement(url, Matcher.quoteReplacement(encode(value)));
        }
        matcher.appendTail(url);
        String query = op.parameters().stream()
                .filter(p -> "query".equals(p.path("in").asText()) && p.has("example"))
                .map(p -> encode(p.get("name").asText()) + "=" + encode(p.get("example").asText()))
                .collect(Collectors.joining("&"));
        if (!query.isEmpty()) {
            url.append('?').append(query);
        }
        String body = null;
        if (variant.body() != null) {
            if (variant.mediaType().equals("application/x-www-form-urlencoded")) {
                Map<String, String> form = new LinkedHashMap<>();
                variant.body().fields().forEachRemaining(field -> form.put(field.getKey(), field.getValue().asText()));
                if (form.containsKey("client_id")) {
                    form.put("client_id", TestRealm.APP_CLIENT);
                }
                body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                        .collect(Collectors.joining("&"));
            } else {
                body = Api.toJson(variant.body());
            }
        }
        return realm.api().send(op.method(), url.toString(), token, variant.mediaType(), body);
    }

    /**
     * A value for a path parameter that reaches the operation's real work where that is cheap (an
     * existing key, function, user), else the document's example (an id nobody has: 404).
     */
    private static String pathValue(Operation op, String name, Caller caller, Map<String, String> known) {
        boolean admin = op.path().startsWith("/admin/");
        return switch (name) {
            case "realm" -> realm.name();
            case "userId" -> subject().get("id");
            case "email" -> subject().get("email");
            case "id" -> admin ? serverKey() : caller.token() == null ? "no-such-key" : userKey(caller.token());
            case "name" -> admin ? putFunction("fn-" + COUNTER.incrementAndGet(), "call") : "hello";
            case "providerType" -> "custom-function";
            case "providerId" -> {
                // An identity the user really has; the caller gets a second one, as the last cannot go.
                String owner = admin ? known.get("userId") : caller.userId();
                if (owner == null) {
                    yield "legacy-nobody";
                }
                String id = "legacy-" + COUNTER.incrementAndGet();
                attach(owner, id);
                if (!admin) {
                    attach(owner, id + "-b");
                }
                yield id;
            }
            default -> {
                JsonNode parameter = op.parameters().stream().filter(p -> name.equals(p.path("name").asText()))
                        .findFirst().orElseThrow();
                yield parameter.get("example").asText();
            }
        };
    }

    private static Map<String, String> subject() {
        String username = "subject-" + COUNTER.incrementAndGet();
        String id = realm.createUser(username, PASSWORD);
        return Map.of("id", id, "email", username + "@example.test");
    }

    private static void attach(String userId, String identityId) {
        expect(realm.admin().post(realm.adminPath("/app-users/users/" + userId + "/identities"),
                map("provider_type", "custom-function", "id", identityId)), 201);
    }

    private static String userKey(String token) {
        return expect(realm.api().postJson(realm.path("/app-users/me/api-keys"), token, map("name", "k")), 201)
                .json().get("id").asText();
    }

    private static String serverKey() {
        return expect(realm.admin().post(realm.adminPath("/app-users/api-keys"), map("name", "server")), 201)
                .json().get("id").asText();
    }

    private static String putFunction(String name, String kind) {
        expect(realm.admin().put(realm.adminPath("/app-users/functions/" + name), map("kind", kind,
                "url", functions.url("/echo"), "secret", FUNCTION_SECRET, "timeout_ms", 5000)), 200);
        return name;
    }

    /** A token of a user of the realm that holds exactly these realm-management roles (reused for a minute). */
    private static String roleToken(List<String> roles) {
        CachedToken cached = ROLE_TOKENS.get(roles);
        if (cached == null || System.nanoTime() - cached.createdNanos() > 60_000_000_000L) {
            cached = new CachedToken(newRoleToken(roles), System.nanoTime());
            ROLE_TOKENS.put(roles, cached);
        }
        return cached.token();
    }

    private record CachedToken(String token, long createdNanos) {
    }

    private static String newRoleToken(List<String> roles) {
        String username = "admin-" + COUNTER.incrementAndGet();
        String userId = realm.createUser(username, PASSWORD);
        if (!roles.isEmpty()) {
            List<JsonNode> representations = roles.stream().map(role -> expect(realm.admin().get(
                    realm.adminPath("/clients/" + realmManagementId + "/roles/" + role)), 200).json()).toList();
            expect(realm.admin().post(realm.adminPath("/users/" + userId + "/role-mappings/clients/"
                    + realmManagementId), representations), 204);
        }
        JsonNode tokens = expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "password",
                "client_id", "admin-cli", "username", username, "password", PASSWORD)), 200).json();
        return tokens.get("access_token").asText();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
