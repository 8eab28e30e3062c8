package io.github.appusers.rest;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static io.github.appusers.testsupport.BadInputs.Type.ANY;
import static io.github.appusers.testsupport.BadInputs.Type.OBJECT;
import static io.github.appusers.testsupport.BadInputs.Type.STRING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.BadInputs;
import io.github.appusers.testsupport.BadInputs.Body;
import io.github.appusers.testsupport.BadInputs.Type;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.TestJwts;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sends a generated set of malformed requests to every endpoint and grant of ours (the JAX-RS
 * resources under {@code src/main/java}, found by their {@code @Path}s) and checks that none gets
 * a 5xx, that every JSON error body is {@code {"error": string, "error_description": string}},
 * and that the realm's users, settings, functions, keys, identities and custom data are as before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputSweepIT extends IntegrationTest {

    private static final String SECRET = "sweep-function-secret";
    private static final String HS256 = "sweep-hs256-secret-of-at-least-32-bytes!";
    private static final AtomicInteger SENT = new AtomicInteger();
    private static final AtomicInteger KEYCLOAK_ANSWERS = new AtomicInteger();
    /** Quarkus' default limit of one form attribute, which Keycloak keeps. */
    private static final int FORM_ATTRIBUTE_LIMIT = 2048;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private static FunctionServer functions;
    private static TestRealm realm;
    private static TestRealm otherRealm;
    private static String userId;
    private static String userToken;
    private static String otherRealmToken;
    /** Stands for a fresh admin token. */
    private static final String ADMIN = "<admin token>";
    private static String userKeyId;
    private static String serverKeyId;
    private static Map<String, String> before;

    @BeforeAll
    static void setUp() throws Exception {
        // The login function refuses everyone, so no grant of the sweep can create a user.
        functions = new FunctionServer(SECRET)
                .on("/login", body -> Answer.json(map("error", "nobody gets in")))
                .on("/call", body -> Answer.json(map("ok", true)));
        realm = TestRealm.create("sweep", map(
                "anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                "email_password", map("enabled", true, "confirmation", "auto", "max_requests_per_ip_per_hour", 0,
                        "resend_cooldown_seconds", 0),
                "custom_function", map("enabled", true, "max_logins_per_ip_per_minute", 0),
                "custom_token", map("enabled", true, "issuer", "https://issuer.example", "hs256_secret", HS256),
                "custom_data", map("user_writable", true),
                "api_keys", map("enabled", true, "max_per_user", 1)), map("resetPasswordAllowed", true));
        realm.relaxUserProfile();
        put(realm, "/app-users/functions/login", map("kind", "login", "url", functions.url("/login"), "secret", SECRET));
        put(realm, "/app-users/functions/call", map("kind", "call", "url", functions.url("/call"), "secret", SECRET));
        userId = realm.createUser("sweeper", "sweeper-password");
        realm.createUser("other", "other-password");
        userToken = realm.passwordLogin("sweeper", "sweeper-password").get("access_token").asText();
        // The user's one allowed key: every well-formed create afterwards hits the limit.
        userKeyId = expect(realm.api().postJson(realm.path("/app-users/me/api-keys"), userToken, map("name", "k")), 201)
                .json().get("id").asText();
        serverKeyId = expect(realm.admin().post(realm.adminPath("/app-users/api-keys"), map("name", "server")), 201)
                .json().get("id").asText();
        expect(realm.admin().put(realm.adminPath("/app-users/users/" + userId + "/custom-data"), map("plan", "free")), 200);
        otherRealm = TestRealm.create("sweep-other", map("anonymous", map("enabled", true, "max_per_ip_per_hour", 0)));
        otherRealmToken = expect(realm.api().postForm(otherRealm.tokenEndpoint(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", TestRealm.APP_CLIENT)), 200).json()
                .get("access_token").asText();
        before = snapshot();
    }

    @AfterAll
    static void tearDown() {
        functions.close();
    }

    private static void put(TestRealm realm, String path, Object body) {
        expect(realm.admin().put(realm.adminPath(path), body), 200);
    }

    /** What must not change: users, settings, functions, keys, the user's identities and custom data. */
    private static Map<String, String> snapshot() {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("user count", realm.admin().get(realm.adminPath("/users/count")).body());
        state.put("settings", realm.admin().get(realm.adminPath("/app-users/settings")).body());
        state.put("functions", realm.admin().get(realm.adminPath("/app-users/functions")).body());
        state.put("server keys", realm.admin().get(realm.adminPath("/app-users/api-keys")).body());
        state.put("app users", realm.admin().get(realm.adminPath("/app-users/users?max=1000")).body());
        state.put("identities", realm.admin().get(realm.adminPath("/app-users/users/" + userId + "/identities")).body());
        state.put("custom data", realm.admin().get(realm.adminPath("/app-users/users/" + userId + "/custom-data")).body());
        state.put("user keys", realm.api().get(realm.path("/app-users/me/api-keys"), userToken).body());
        state.put("other realm users", otherRealm.admin().get(otherRealm.adminPath("/users/count")).body());
        return state;
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Who answers: our code ({@code {"error", "error_description"}} bodies), Keycloak before our
     * code runs (routing: wrong methods; admin authentication; its query-parameter filter), whose
     * JSON errors carry {@code error} only, or an HTML page for browsers.
     */
    private enum Layer { OURS, KEYCLOAK, PAGE }

    private record Request(String label, String method, String path, String bearer, Body body, Map<String, String> headers,
            Layer layer) {
        Request keycloak() {
            return new Request(label, method, path, bearer, body, headers, Layer.KEYCLOAK);
        }
    }

    private static Request request(String label, String method, String path, String bearer, Body body) {
        // JAX-RS matching refuses multipart bodies (our endpoints do not consume them) before our code.
        boolean multipart = body != null && body.contentType() != null && body.contentType().startsWith("multipart/");
        return new Request(label, method, path, bearer, body, Map.of(), multipart ? Layer.KEYCLOAK : Layer.OURS);
    }

    private static DynamicTest check(Request request) {
        return DynamicTest.dynamicTest(request.method() + " " + BadInputs.shortText(request.path()) + " " + request.label(),
                () -> verify(request));
    }

    private static void verify(Request request) throws IOException, InterruptedException {
        HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(api().baseUrl() + request.path()))
                .timeout(Duration.ofSeconds(60))
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body().bytes()));
        if (request.bearer() != null) {
            // The admin token is fetched when sent: the master realm's tokens live one minute.
            String bearer = ADMIN.equals(request.bearer()) ? realm.admin().token() : request.bearer();
            http.header("Authorization", bearer.startsWith("Basic ") ? bearer : "Bearer " + bearer);
        }
        if (request.body() != null && request.body().contentType() != null) {
            http.header("Content-Type", request.body().contentType());
        }
        http.header("Accept", request.layer() == Layer.PAGE ? "text/html" : "application/json");
        request.headers().forEach(http::header);
        HttpResponse<String> response = HTTP.send(http.build(), HttpResponse.BodyHandlers.ofString());
        SENT.incrementAndGet();
        String body = response.body();
        String where = request.method() + " " + BadInputs.shortText(request.path()) + " [" + request.label() + "] -> "
                + response.statusCode() + " " + BadInputs.shortText(body);
        assertTrue(response.statusCode() < 500, "server error: " + where);
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (response.statusCode() >= 400 && request.layer() != Layer.PAGE && (type.contains("json") || body.startsWith("{"))) {
            JsonNode json;
            try {
                json = Api.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("error body is not JSON: " + where);
            }
            assertTrue(json.isObject() && json.path("error").isTextual(), "error body has no error: " + where);
            if (request.layer() == Layer.OURS) {
                assertTrue(json.path("error_description").isTextual(),
                        "error body is not {error, error_description}: " + where);
            } else {
                KEYCLOAK_ANSWERS.incrementAndGet();
            }
        }
    }

    private static String realmPath(String path) {
        return realm.path("/app-users" + path);
    }

    private static String adminPath(String path) {
        return "/admin" + realm.adminPath("/app-users" + path);
    }

    /** Every JSON body variant of one endpoint, with a working token. */
    private static Stream<Request> jsonEndpoint(String method, String path, String bearer, Map<String, Object> base,
            Map<String, Type> fields, Set<String> injectable) {
        List<Body> bodies = new ArrayList<>(BadInputs.brokenDocuments());
        bodies.addAll(BadInputs.variants(base, fields, injectable));
        return bodies.stream().map(body -> request(body.label(), method, path, bearer, body));
    }

    /** Missing, junk, forged, expired and foreign tokens, and a wrong scheme. */
    private static Stream<Request> badTokens(String method, String path, Body body) {
        List<Request> requests = new ArrayList<>();
        String[] parts = userToken.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String expiredClaims = payload.replaceAll("\"exp\":\\d+", "\"exp\":1");
        String resigned = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(expiredClaims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("no token", null);
        tokens.put("junk token", "junk");
        tokens.put("empty-looking token", "..");
        tokens.put("wrong signature", forged);
        tokens.put("expired claims, old signature", resigned);
        tokens.put("alg none", TestJwts.none(map("sub", userId, "iss", api().baseUrl() + realm.path(""),
                "exp", 4_000_000_000L, "typ", "Bearer")));
        tokens.put("HS256 with a guessed secret", hs256(map("sub", userId, "exp", 4_000_000_000L)));
        tokens.put("another realm's token", otherRealmToken);
        tokens.put("huge token", "a".repeat(20_000));
        tokens.put("basic auth", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)));
        tokens.forEach((label, token) -> requests.add(request(label, method, path, token, body)));
        return requests.stream();
    }

    /**
     * The bad tokens for the admin API, less the HS256 one: Keycloak 26.7.3's admin root answers a
     * 500 to an HS256 bearer token on its own (before our resources), for any admin endpoint.
     */
    private static Stream<Request> adminTokens(String method, String path, Body body) {
        return badTokens(method, path, body).filter(r -> !r.label().startsWith("HS256")).map(Request::keycloak);
    }

    /** Keycloak refuses NUL bytes in query parameters itself ("Blocking invalid query parameter"). */
    private static Request layered(Request request) {
        return request.path().contains("%00") ? request.keycloak() : request;
    }

    private static String hs256(Map<String, Object> claims) {
        try {
            return TestJwts.hs256("secret", claims);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Stream<Request> wrongMethods(String path, String bearer, Set<String> allowed) {
        return Stream.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
                .filter(method -> !allowed.contains(method))
                .map(method -> request("wrong method", method, path, bearer,
                        BadInputs.json("body", map("a", 1))).keycloak());
    }

    /** Path parameters that try to escape, inject or overflow. */
    private static List<String> badPathParams() {
        return List.of("..", "..%2F..%2Fsettings", "%2e%2e", "%00", "%ff%fe", "%0d%0aX-Injected:%201",
                "'%20OR%20'1'='1", "$%7Bjndi:ldap:%2F%2F127.0.0.1:1%2Fa%7D", "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                "x".repeat(5000), "%E2%80%AE", "*", "null", "-1", "a%2Fb");
    }

    private static Stream<Request> pathParams(String method, String template, String bearer, Body body) {
        return badPathParams().stream().map(param -> request("path param " + BadInputs.shortText(param), method,
                template.replace("{}", param), bearer, body));
    }

    // --- the realm's own endpoints ----------------------------------------------------------------

    @Order(1)
    @TestFactory
    Stream<DynamicTest> emailPasswordEndpoints() {
        // An address that is registered already: a well-formed registration changes nothing.
        String existing = "other@example.test";
        Map<String, Type> emailOnly = Map.of("email", STRING);
        return Stream.of(
                jsonEndpoint("POST", realmPath("/email-password/register"), null,
                        map("email", existing, "password", "some-password"),
                        Map.of("email", STRING, "password", STRING), Set.of("email", "password")),
                jsonEndpoint("POST", realmPath("/email-password/confirm"), null,
                        map("token", "not-a-token", "token_id", "not-an-id"),
                        Map.of("token", STRING, "token_id", STRING, "password", STRING), Set.of("token", "token_id")),
                jsonEndpoint("POST", realmPath("/email-password/confirm/resend"), null,
                        map("email", "nobody@example.test"), emailOnly, Set.of("email")),
                jsonEndpoint("POST", realmPath("/email-password/confirm/retry-function"), null,
                        map("email", "nobody@example.test"), emailOnly, Set.of("email")),
                jsonEndpoint("POST", realmPath("/email-password/reset/send"), null,
                        map("email", "nobody@example.test"), emailOnly, Set.of("email")),
                jsonEndpoint("POST", realmPath("/email-password/reset"), null,
                        map("token", "not-a-token", "token_id", "not-an-id", "password", "new-password"),
                        Map.of("token", STRING, "token_id", STRING, "password", STRING), Set.of("token", "token_id")),
                jsonEndpoint("POST", realmPath("/email-password/reset/call-function"), null,
                        map("email", "nobody@example.test", "password", "new-password", "arguments", map()),
                        Map.of("email", STRING, "password", STRING, "arguments", ANY), Set.of("email")),
                Stream.of("/register", "/confirm", "/confirm/resend", "/reset/send", "/reset")
                        .flatMap(p -> wrongMethods(realmPath("/email-password" + p), null, Set.of("POST"))),
                formPages()).flatMap(s -> s).map(BadInputSweepIT::check);
    }

    /** The HTML pages of confirmation and reset links: junk tokens and forms. */
    private static Stream<Request> formPages() {
        List<Request> requests = new ArrayList<>();
        for (String page : List.of("/email-password/confirm-page", "/email-password/reset-page")) {
            for (String junk : List.of("%00", "%ff", "%3Cscript%3E", "x".repeat(5000), "$%7Bjndi:x%7D")) {
                requests.add(page("junk query " + BadInputs.shortText(junk), "GET",
                        realmPath(page) + "?token=" + junk + "&token_id=" + junk, null));
                requests.add(page("junk form " + BadInputs.shortText(junk), "POST", realmPath(page),
                        new Body("form", "application/x-www-form-urlencoded", ("token=" + junk + "&token_id=" + junk
                                + "&password=" + junk + "&password-confirm=" + junk).getBytes(StandardCharsets.UTF_8))));
            }
            requests.add(page("JSON instead of a form", "POST", realmPath(page), BadInputs.json("json", map("token", "x"))));
            requests.add(page("huge form", "POST", realmPath(page), new Body("form",
                    "application/x-www-form-urlencoded", ("token=" + "x".repeat(BadInputs.HUGE)).getBytes(StandardCharsets.UTF_8))));
        }
        return requests.stream();
    }

    private static Request page(String label, String method, String path, Body body) {
        return new Request(label, method, path, null, body, Map.of(), Layer.PAGE);
    }

    @Order(2)
    @TestFactory
    Stream<DynamicTest> userEndpoints() {
        Body noBody = null;
        Body anyJson = BadInputs.json("object", map("a", 1));
        // If-Match of a version that never exists: a well-formed write changes nothing.
        Map<String, String> staleVersion = Map.of("If-Match", "\"v999999\"");
        Stream<Request> customData = Stream.of("PUT", "PATCH").flatMap(method -> {
            List<Body> bodies = new ArrayList<>(BadInputs.brokenDocuments());
            bodies.add(BadInputs.json("well-formed, stale If-Match", map("plan", "pro")));
            bodies.add(new Body("5 MB document", BadInputs.JSON, ("{\"a\":\"" + "x".repeat(BadInputs.HUGE) + "\"}")
                    .getBytes(StandardCharsets.UTF_8)));
            bodies.add(new Body("nested 900 deep", BadInputs.JSON, BadInputs.nested(900, "{\"a\":", "}", "1")));
            bodies.add(new Body("merge-patch type", "application/merge-patch+json", "{\"plan\": null}".getBytes(
                    StandardCharsets.UTF_8)));
            bodies.add(new Body("text/plain", "text/plain", "{\"plan\": null}".getBytes(StandardCharsets.UTF_8)));
            return bodies.stream().map(body -> new Request(body.label(), method, realmPath("/me/custom-data"), userToken,
                    body, staleVersion, Layer.OURS));
        });
        Stream<Request> junkIfMatch = Stream.of("*x", "\"v-1\"", "W/\"v1\"", "\"v99999999999999999999\"", "\u0000")
                .map(tag -> new Request("If-Match " + BadInputs.shortText(tag), "PUT", realmPath("/me/custom-data"),
                        userToken, BadInputs.json("b", map("plan", "pro")), Map.of("If-Match", tag.replace("\u0000", "%00")),
                        Layer.OURS));
        return Stream.of(
                badTokens("GET", realmPath("/me"), noBody),
                badTokens("DELETE", realmPath("/me"), noBody),
                badTokens("GET", realmPath("/me/identities"), noBody),
                badTokens("POST", realmPath("/me/identities"), BadInputs.json("link", map("type", "custom-token",
                        "token", "x"))),
                badTokens("PUT", realmPath("/me/custom-data"), anyJson),
                badTokens("POST", realmPath("/me/api-keys"), BadInputs.json("key", map("name", "x"))),
                badTokens("DELETE", realmPath("/me/api-keys/" + userKeyId), noBody),
                badTokens("POST", realmPath("/functions/call"), anyJson),
                wrongMethods(realmPath("/me"), userToken, Set.of("GET", "DELETE")),
                wrongMethods(realmPath("/me/identities"), userToken, Set.of("GET", "POST")),
                wrongMethods(realmPath("/me/custom-data"), userToken, Set.of("GET", "PUT", "PATCH")),
                wrongMethods(realmPath("/me/api-keys"), userToken, Set.of("GET", "POST")),
                wrongMethods(realmPath("/functions/call"), userToken, Set.of("POST")),
                // Linking: the other user's address and a refusing login function change nothing.
                jsonEndpoint("POST", realmPath("/me/identities"), userToken,
                        map("type", "email-password", "email", "other@example.test", "password", "other-password"),
                        Map.of("type", STRING, "email", STRING, "password", STRING), Set.of("type", "email", "password")),
                jsonEndpoint("POST", realmPath("/me/identities"), userToken,
                        map("type", "custom-function", "function", "login", "payload", map("id", "x")),
                        Map.of("type", STRING, "function", STRING, "payload", OBJECT), Set.of("function")),
                jsonEndpoint("POST", realmPath("/me/identities"), userToken,
                        map("type", "custom-token", "token", "not.a.jwt"),
                        Map.of("type", STRING, "token", STRING), Set.of("token")),
                pathParams("DELETE", realmPath("/me/identities/{}/x"), userToken, noBody),
                pathParams("DELETE", realmPath("/me/identities/local-userpass/{}"), userToken, noBody),
                customData,
                junkIfMatch,
                jsonEndpoint("POST", realmPath("/me/api-keys"), userToken, map("name", "second key"),
                        Map.of("name", STRING), Set.of("name")),
                pathParams("GET", realmPath("/me/api-keys/{}"), userToken, noBody),
                pathParams("POST", realmPath("/me/api-keys/{}/disable"), userToken, noBody),
                pathParams("DELETE", realmPath("/me/api-keys/{}"), userToken, noBody),
                pathParams("POST", realmPath("/functions/{}"), userToken, anyJson),
                Stream.concat(BadInputs.brokenDocuments().stream(), Stream.of(
                                new Body("text/plain", "text/plain", "{}".getBytes(StandardCharsets.UTF_8)),
                                new Body("no content type", null, "{}".getBytes(StandardCharsets.UTF_8))))
                        .map(body -> request(body.label(), "POST", realmPath("/functions/call"), userToken, body)))
                .flatMap(s -> s).map(BadInputSweepIT::check);
    }

    // --- token endpoint grants --------------------------------------------------------------------

    private static Stream<Request> grant(String grant, Map<String, String> base, Set<String> params) {
        List<Request> requests = new ArrayList<>();
        String token = realm.tokenEndpoint();
        List<Map<String, String>> forms = new ArrayList<>();
        for (String param : params) {
            Map<String, String> without = new LinkedHashMap<>(base);
            without.remove(param);
            forms.add(without);
            List<String> values = new ArrayList<>(List.of("", " ", "\u0000", "x".repeat(100_000), "[1,2]", "{\"a\":",
                    new String(BadInputs.nested(BadInputs.DEEP, "{\"a\":", "}", "1"), StandardCharsets.UTF_8),
                    "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "a.b.c"));
            values.addAll(BadInputs.INJECTIONS);
            for (String value : values) {
                if ("client_id".equals(param) && value.indexOf('\u0000') >= 0) {
                    // Keycloak's own client lookup, before any grant, fails on PostgreSQL with NUL (500).
                    continue;
                }
                Map<String, String> form = new LinkedHashMap<>(base);
                form.put(param, value);
                forms.add(form);
            }
        }
        for (Map<String, String> form : forms) {
            Request request = request(grant + " " + BadInputs.shortText(form), "POST", token, null,
                    new Body("form", "application/x-www-form-urlencoded", encode(form).getBytes(StandardCharsets.UTF_8)));
            // Keycloak's HTTP layer refuses form values over its attribute limit (413) before any grant runs.
            boolean overLimit = form.values().stream().anyMatch(value -> value.length() > FORM_ATTRIBUTE_LIMIT);
            requests.add(overLimit ? request.keycloak() : request);
        }
        byte[] good = encode(base).getBytes(StandardCharsets.UTF_8);
        requests.add(request(grant + " as JSON", "POST", token, null, BadInputs.json("json", base)));
        requests.add(request(grant + " with GET", "GET", token + "?" + encode(base), null, null).keycloak());
        requests.add(request(grant + " no content type", "POST", token, null, new Body("none", null, good)));
        requests.add(request(grant + " invalid UTF-8", "POST", token, null, new Body("form",
                "application/x-www-form-urlencoded", concat(good, new byte[] {'&', 'x', '=', (byte) 0xC3, (byte) 0x28}))));
        requests.add(request(grant + " 5 MB form", "POST", token, null, new Body("form",
                "application/x-www-form-urlencoded", (encode(base) + "&pad=" + "x".repeat(BadInputs.HUGE))
                        .getBytes(StandardCharsets.UTF_8))).keycloak());
        requests.add(request(grant + " junk client", "POST", token, null, new Body("form",
                "application/x-www-form-urlencoded", encode(with(base, "client_id", "no-such-client"))
                        .getBytes(StandardCharsets.UTF_8))));
        return requests.stream();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> grantForm(String grant, String... params) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "urn:app-users:grant-type:" + grant);
        form.put("client_id", TestRealm.APP_CLIENT);
        for (int i = 0; i < params.length; i += 2) {
            form.put(params[i], params[i + 1]);
        }
        return form;
    }

    @Order(3)
    @TestFactory
    Stream<DynamicTest> grants() throws Exception {
        String expired = TestJwts.hs256(HS256, map("sub", "someone", "iss", "https://issuer.example", "exp", 1));
        String wrongKey = TestJwts.hs256("another-secret-that-is-also-long-enough!", map("sub", "someone",
                "iss", "https://issuer.example", "exp", 4_000_000_000L));
        String wrongIssuer = TestJwts.hs256(HS256, map("sub", "someone", "iss", "https://evil.example",
                "exp", 4_000_000_000L));
        String noSubject = TestJwts.hs256(HS256, map("iss", "https://issuer.example", "exp", 4_000_000_000L));
        String subjectTypes = TestJwts.hs256(HS256, map("sub", map("a", 1), "iss", "https://issuer.example",
                "exp", "tomorrow"));
        Stream<Request> customTokens = Stream.of(expired, wrongKey, wrongIssuer, noSubject, subjectTypes,
                        TestJwts.none(map("sub", "someone", "iss", "https://issuer.example", "exp", 4_000_000_000L)), userToken)
                .map(jwt -> request("custom-token " + BadInputs.shortText(jwt), "POST", realm.tokenEndpoint(), null,
                        new Body("form", "application/x-www-form-urlencoded", encode(grantForm("custom-token", "token", jwt))
                                .getBytes(StandardCharsets.UTF_8))));
        // The anonymous grant has no parameters of its own: only requests it must refuse.
        Map<String, String> anonymous = grantForm("anonymous");
        anonymous.put("client_id", "no-such-client");
        return Stream.of(
                grant("custom-function", grantForm("custom-function", "function", "login", "payload", "{\"id\":\"x\"}"),
                        Set.of("function", "payload")),
                grant("api-key", grantForm("api-key", "api_key", "not-a-key"), Set.of("api_key")),
                grant("custom-token", grantForm("custom-token", "token", "not.a.jwt"), Set.of("token")),
                grant("anonymous", anonymous, Set.of("client_id")),
                customTokens).flatMap(s -> s).map(BadInputSweepIT::check);
    }

    // --- admin endpoints --------------------------------------------------------------------------

    @Order(4)
    @TestFactory
    Stream<DynamicTest> adminEndpoints() {
        JsonNode settings = expect(realm.admin().get(realm.adminPath("/app-users/settings")), 200).json();
        List<Body> settingsBodies = new ArrayList<>(BadInputs.brokenDocuments());
        settingsBodies.addAll(BadInputs.settingsVariants(settings));
        // A function whose URL is never valid: every well-formed variant is still refused.
        Map<String, Object> function = map("kind", "call", "url", "ftp://example.test/f", "secret", "s", "timeout_ms", 1000);
        Map<String, String> stale = Map.of("If-Match", "\"v999999\"");
        Stream<Request> adminCustomData = Stream.of("PUT", "PATCH").flatMap(method -> {
            List<Body> bodies = new ArrayList<>(BadInputs.brokenDocuments());
            bodies.add(BadInputs.json("well-formed, stale If-Match", map("plan", "pro")));
            return bodies.stream().map(body -> new Request(body.label(), method,
                    adminPath("/users/" + userId + "/custom-data"), ADMIN, body, stale, Layer.OURS));
        });
        return Stream.of(
                settingsBodies.stream().map(body -> request(body.label(), "PUT", adminPath("/settings"), ADMIN, body)),
                jsonEndpoint("PUT", adminPath("/functions/new-function"), ADMIN, function,
                        Map.of("kind", STRING, "url", STRING, "secret", STRING, "timeout_ms", Type.NUMBER),
                        Set.of("kind", "url", "secret")),
                pathParams("PUT", adminPath("/functions/{}"), ADMIN, BadInputs.json("fn", function)),
                pathParams("GET", adminPath("/functions/{}"), ADMIN, null),
                pathParams("DELETE", adminPath("/functions/{}"), ADMIN, null),
                Stream.of("status=nope", "provider_type=nope", "first=-1", "max=abc", "first=99999999999",
                                "max=-5", "status=%00", "provider_type=%ff", "first=1e3")
                        .map(q -> layered(request("query " + q, "GET", adminPath("/users?" + q), ADMIN, null))),
                pathParams("POST", adminPath("/registrations/by-email/{}/confirm"), ADMIN, null),
                pathParams("POST", adminPath("/registrations/by-email/{}/run-confirm"), ADMIN, null),
                adminCustomData,
                pathParams("GET", adminPath("/users/{}/custom-data"), ADMIN, null),
                pathParams("GET", adminPath("/users/{}/identities"), ADMIN, null),
                // Attaching an identity another user owns changes nothing.
                jsonEndpoint("POST", adminPath("/users/" + userId + "/identities"), ADMIN,
                        map("provider_type", "local-userpass", "id", "other@example.test"),
                        Map.of("provider_type", STRING, "id", STRING), Set.of("provider_type")),
                pathParams("DELETE", adminPath("/users/" + userId + "/identities/{}/x"), ADMIN, null),
                pathParams("DELETE", adminPath("/users/" + userId + "/identities/local-userpass/{}"), ADMIN, null),
                // Server keys: only malformed names (a well-formed one would create a key and its user).
                Stream.concat(BadInputs.brokenDocuments().stream(), Stream.of(
                                BadInputs.json("name 42", map("name", 42)), BadInputs.json("name null", map("name", null)),
                                BadInputs.json("no name", map("other", "x")), BadInputs.json("blank name", map("name", " ")),
                                BadInputs.json("name 300 chars", map("name", "n".repeat(300))),
                                BadInputs.json("name with NUL", map("name", "a\u0000b")),
                                new Body("text/plain", "text/plain", "{\"name\": 1}".getBytes(StandardCharsets.UTF_8))))
                        .map(body -> request(body.label(), "POST", adminPath("/api-keys"), ADMIN, body)),
                pathParams("GET", adminPath("/api-keys/{}"), ADMIN, null),
                pathParams("POST", adminPath("/api-keys/{}/enable"), ADMIN, null),
                pathParams("DELETE", adminPath("/api-keys/{}"), ADMIN, null),
                Stream.of("inactive_days=", "inactive_days=-1", "inactive_days=abc", "inactive_seconds=1e9",
                                "inactive_days=99999999999999999999", "inactive_seconds=%00", "max_users=0",
                                "max_users=2147483648", "max_users=", "max_seconds=1.5", "max_seconds=%00")
                        .map(q -> layered(request("purge " + q, "POST", adminPath("/anonymous/purge?" + q), ADMIN,
                                null))),
                // Admin endpoints with the wrong people or no one.
                // Keycloak's admin root authenticates before our resources exist.
                adminTokens("GET", adminPath("/settings"), null),
                adminTokens("PUT", adminPath("/settings"), BadInputs.json("s", map())),
                Stream.of(request("user token on admin API", "GET", adminPath("/settings"), userToken, null),
                        request("user token on admin API", "PUT", adminPath("/settings"), userToken,
                                BadInputs.json("s", map("anonymous", map("enabled", false)))),
                        request("user token on admin API", "POST", adminPath("/api-keys"), userToken,
                                BadInputs.json("k", map("name", "x")))).map(Request::keycloak),
                wrongMethods(adminPath("/settings"), ADMIN, Set.of("GET", "PUT")),
                wrongMethods(adminPath("/anonymous/purge"), ADMIN, Set.of("POST")))
                .flatMap(s -> s).map(BadInputSweepIT::check);
    }

    @Order(5)
    @Test
    void nothingChangedAndTheCountIsPrinted() {
        Map<String, String> after = snapshot();
        before.forEach((what, value) -> assertEquals(value, after.get(what), what + " changed during the sweep"));
        assertTrue(SENT.get() > 1000, "the sweep sent " + SENT.get() + " requests");
        System.out.println("Bad input sweep: " + SENT.get() + " malformed requests sent, no 5xx; "
                + KEYCLOAK_ANSWERS.get() + " refused by Keycloak before our code (routing, admin authentication)");
        if (functions.calls("/login").isEmpty()) {
            fail("the sweep never reached the login function");
        }
    }
}
