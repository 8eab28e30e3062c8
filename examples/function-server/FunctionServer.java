import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An example function server for keycloak-app-users, for app developers to read and copy from.
 * It needs only the JDK (17 or newer) and runs straight from source:
 *
 * <pre>
 * java examples/function-server/FunctionServer.java
 * FUNCTION_PORT=8099 FUNCTION_SECRET=demo-function-secret-change-me java examples/function-server/FunctionServer.java
 * </pre>
 *
 * It listens on 127.0.0.1 only ({@code FUNCTION_PORT}, default 8099) and serves two functions:
 * <ul>
 * <li>{@code POST /login}, a <em>login</em> function: Keycloak sends {@code {"payload": {...}}}
 * (the app's {@code payload} of the custom-function grant); the demo rule accepts a
 * {@code username} of 1 to 64 letters, digits, '.', '_' or '-' with the {@code pin} "1234" and
 * answers {@code {"id": "demo:<username>", "name": "<username>"}}, which Keycloak maps to a user
 * (created on the first login). Anything else gets 403 {@code {"error": "wrong username or pin"}}.</li>
 * <li>{@code POST /hello}, a <em>call</em> function: Keycloak sends
 * {@code {"user": {"id", "identities", "custom_data"}, "arguments": <the app's JSON>}} and relays
 * the answer, here {@code {"message": "Hello, <arguments.name or 'there'>!", "user_id": "<user.id>"}}.</li>
 * </ul>
 *
 * <p>It also serves the demo web app ({@code examples/demo-app/}, see {@link DemoApp}) under
 * {@code /app/}, so that one JDK process is all the demo needs next to Keycloak.
 *
 * <h2>Verifying that a call comes from Keycloak</h2>
 * Every call carries the header
 * {@code X-App-Users-Signature: t=<unix seconds>,v1=<lowercase hex HMAC-SHA256(secret, t + "." + body)>},
 * computed over the exact bytes of the request body with the function's secret
 * ({@code FUNCTION_SECRET}, default {@code demo-function-secret-change-me}; it must match the
 * {@code secret} configured for the function in Keycloak). A function must:
 * <ol>
 * <li>read the raw body bytes <em>before</em> parsing them (re-serialized JSON does not match);</li>
 * <li>compute the HMAC over the {@code t} value as received, a '.', and those bytes;</li>
 * <li>compare it with {@code v1} in constant time ({@link MessageDigest#isEqual}), never with
 * {@code String.equals}, which leaks how many leading characters matched;</li>
 * <li>refuse a {@code t} more than a few minutes away from its own clock (here 300 s), so a
 * recorded call cannot be replayed later.</li>
 * </ol>
 * Refused calls get 401 {@code {"error": "bad signature"}}, and Keycloak refuses the login or
 * call with {@code function_failed}.
 *
 * <p>The JDK has no JSON parser, so this file carries a tiny one (enough for these requests:
 * objects, arrays, strings with escapes, numbers, literals). Real functions should use a JSON
 * library (Jackson, Gson, ...) and a real web framework, check credentials against a real user
 * store, and keep the secret out of source code. Each call is logged on one line (path and
 * outcome); the secret and the payload are never logged.
 */
public class FunctionServer {

    static final String DEFAULT_SECRET = "demo-function-secret-change-me";
    static final int DEFAULT_PORT = 8099;
    static final String SIGNATURE_HEADER = "X-App-Users-Signature";
    /** How far the signature's timestamp may be from this machine's clock. */
    static final long MAX_CLOCK_SKEW_SECONDS = 300;
    /** Keycloak sends small documents (payloads are capped at 16 KiB); anything larger is refused. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String DEMO_PIN = "1234";

    public static void main(String[] args) throws IOException {
        int port = port(System.getenv("FUNCTION_PORT"));
        String secret = System.getenv().getOrDefault("FUNCTION_SECRET", DEFAULT_SECRET);
        if (secret.isEmpty()) {
            fail("FUNCTION_SECRET is empty");
        }
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);

        Map<String, Function<Object, Reply>> functions = Map.of(
                "/login", FunctionServer::login,
                "/hello", FunctionServer::hello);

        // Small JSON answers would otherwise wait for TCP delayed ACKs (about 40 ms each).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        } catch (IOException e) {
            fail("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage() + ")");
            return;
        }
        server.createContext("/", exchange -> handle(exchange, key, functions));
        DemoApp app = DemoApp.fromEnvironment();
        server.createContext(DemoApp.PREFIX, app::serve);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        server.setExecutor(threads);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            threads.shutdownNow();
            log("stopped");
        }));
        server.start();
        log("listening on http://127.0.0.1:" + port + " (POST /login, POST /hello; demo app on http://127.0.0.1:"
                + port + DemoApp.PREFIX + "/ from " + app.dir + ")");
    }

    // --- the functions ---------------------------------------------------------------------

    /** Login function: {@code {"payload": {"username", "pin"}}} to {@code {"id", "name"}}. */
    static Reply login(Object request) {
        Object payload = field(request, "payload");
        String username = string(payload, "username");
        String pin = string(payload, "pin");
        // A demo rule. A real function checks a user store (hashed credentials, rate limits...).
        boolean pinOk = pin != null && MessageDigest.isEqual(pin.getBytes(StandardCharsets.UTF_8),
                DEMO_PIN.getBytes(StandardCharsets.UTF_8));
        if (username == null || !USERNAME.matcher(username).matches() || !pinOk) {
            return new Reply(403, object("error", "wrong username or pin"), "refused: wrong username or pin");
        }
        // The id is what Keycloak stores as the user's custom-function identity: keep it stable.
        return new Reply(200, object("id", "demo:" + username, "name", username), "logged in");
    }

    /** Call function: greets the caller; Keycloak has already verified who the user is. */
    static Reply hello(Object request) {
        String userId = string(field(request, "user"), "id");
        if (userId == null) {
            return new Reply(400, object("error", "user.id is missing"), "refused: no user.id");
        }
        String name = string(field(request, "arguments"), "name");
        if (name == null || name.isBlank()) {
            name = "there";
        }
        return new Reply(200, object("message", "Hello, " + name + "!", "user_id", userId), "answered");
    }

    // --- HTTP and signature ----------------------------------------------------------------

    record Reply(int status, String json, String outcome) {
    }

    static void handle(HttpExchange exchange, byte[] key, Map<String, Function<Object, Reply>> functions)
            throws IOException {
        String path = exchange.getRequestURI().getPath();
        Reply reply;
        try {
            reply = dispatch(exchange, path, key, functions);
        } catch (RuntimeException e) {
            reply = new Reply(500, object("error", "internal error"), "failed: " + e.getClass().getSimpleName());
        }
        // The path comes from the client: no control characters in the log (no forged lines).
        log(exchange.getRequestMethod() + " " + path.replaceAll("\\p{Cntrl}", "?") + " -> " + reply.status() + " "
                + reply.outcome());
        byte[] body = reply.json().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (reply.status() == 405) {
            exchange.getResponseHeaders().set("Allow", "POST");
        }
        exchange.sendResponseHeaders(reply.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static Reply dispatch(HttpExchange exchange, String path, byte[] key,
            Map<String, Function<Object, Reply>> functions) throws IOException {
        Function<Object, Reply> function = functions.get(path);
        if (function == null) {
            return new Reply(404, object("error", "not found"), "unknown path");
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            return new Reply(405, object("error", "method not allowed"), "not a POST");
        }
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            return new Reply(413, object("error", "body too large"), "body too large");
        }
        // 1. Authenticity and freshness, on the raw bytes, before looking at the content.
        String problem = signatureProblem(exchange.getRequestHeaders().getFirst(SIGNATURE_HEADER), body, key,
                Instant.now().getEpochSecond());
        if (problem != null) {
            return new Reply(401, object("error", "bad signature"), "bad signature (" + problem + ")");
        }
        // 2. Only then parse it.
        Object request;
        try {
            request = Json.parse(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException | IllegalArgumentException e) {
            return new Reply(400, object("error", "body is not valid JSON"), "invalid JSON");
        }
        return function.apply(request);
    }

    /**
     * Why the signature header does not prove that Keycloak sent {@code body} just now, or null
     * when it does. Header: {@code t=<unix seconds>,v1=<hex>}.
     */
    static String signatureProblem(String header, byte[] body, byte[] key, long nowSeconds) {
        if (header == null) {
            return "missing header";
        }
        String t = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (name.equals("t")) {
                t = value;
            } else if (name.equals("v1")) {
                signatures.add(value);
            }
        }
        if (t == null || !t.matches("[0-9]{1,12}") || signatures.isEmpty()) {
            return "malformed header";
        }
        byte[] expected = hmacHex(key, t, body).getBytes(StandardCharsets.US_ASCII);
        boolean matches = false;
        for (String signature : signatures) {
            // Constant time: the comparison takes as long whatever the first differing byte is.
            matches |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
        }
        if (!matches) {
            return "signature mismatch";
        }
        if (Math.abs(nowSeconds - Long.parseLong(t)) > MAX_CLOCK_SKEW_SECONDS) {
            return "timestamp more than " + MAX_CLOCK_SKEW_SECONDS + " s off";
        }
        return null;
    }

    /** Lowercase hex of HMAC-SHA256(key, t + "." + body). */
    static String hmacHex(byte[] key, String t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            mac.update(body);
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The body, or null when it is larger than {@link #MAX_BODY_BYTES}. */
    static byte[] readBody(InputStream in) throws IOException {
        try (in) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
    }

    // --- JSON ------------------------------------------------------------------------------

    /** {@code request.name} if request is an object, else null. */
    static Object field(Object request, String name) {
        return request instanceof Map<?, ?> map ? map.get(name) : null;
    }

    /** {@code request.name} if request is an object and the field a string, else null. */
    static String string(Object request, String name) {
        return field(request, name) instanceof String s ? s : null;
    }

    /** A JSON object of string fields, from alternating names and values, properly escaped. */
    static String object(String... namesAndValues) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            json.append(i == 0 ? "" : ", ").append(quote(namesAndValues[i])).append(": ")
                    .append(quote(namesAndValues[i + 1]));
        }
        return json.append('}').toString();
    }

    /** A JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * A minimal, strict JSON reader (RFC 8259): objects become LinkedHashMaps, arrays ArrayLists,
     * strings Strings, numbers BigDecimals, true/false Booleans, null null. Anything else throws
     * IllegalArgumentException. For an example only: real code uses a JSON library.
     */
    static final class Json {
        private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
        private static final int MAX_DEPTH = 64;
        private final String text;
        private int pos;

        private Json(String text) {
            this.text = text;
        }

        static Object parse(String text) {
            Json json = new Json(text);
            Object value = json.value(0);
            json.skipWhitespace();
            if (json.pos != text.length()) {
                throw json.error("unexpected text after the value");
            }
            return value;
        }

        private Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested too deeply");
            }
            skipWhitespace();
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++; // {
            skipWhitespace();
            if (peek('}')) {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (!peek('"')) {
                    throw error("expected a field name");
                }
                String name = string();
                skipWhitespace();
                expect(':');
                map.put(name, value(depth + 1));
                skipWhitespace();
                if (peek(',')) {
                    pos++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array(int depth) {
            List<Object> list = new ArrayList<>();
            pos++; // [
            skipWhitespace();
            if (peek(']')) {
                pos++;
                return list;
            }
            while (true) {
                list.add(value(depth + 1));
                skipWhitespace();
                if (peek(',')) {
                    pos++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            pos++; // opening quote
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    break;
                }
                char escape = text.charAt(pos++);
                switch (escape) {
                    case '"' -> out.append('"');
                    case '\\' -> out.append('\\');
                    case '/' -> out.append('/');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException e) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
            throw error("unterminated string");
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("unexpected character");
            }
            pos += word.length();
            return value;
        }

        private BigDecimal number() {
            var matcher = NUMBER.matcher(text).region(pos, text.length());
            if (!matcher.lookingAt()) {
                throw error("unexpected character");
            }
            pos = matcher.end();
            return new BigDecimal(matcher.group());
        }

        private void skipWhitespace() {
            while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException(message + " at offset " + pos);
        }
    }

    // --- the demo app's static files ----------------------------------------------------------

    /**
     * Serves the files of the demo web app (a plain HTML and JavaScript page, no build step) under
     * {@code /app/}, plus {@code /app/config.json}, which tells the page where Keycloak is:
     * {@code DEMO_APP_DIR} (default {@code examples/demo-app}, relative to the working directory),
     * {@code DEMO_KEYCLOAK_URL} (default {@code http://localhost:8080}), {@code DEMO_REALM}
     * (default {@code demo}), {@code DEMO_CLIENT_ID} (default {@code demo-app}).
     */
    static final class DemoApp {
        static final String PREFIX = "/app";
        static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
        static final Map<String, String> TYPES = Map.of(
                "html", "text/html; charset=utf-8",
                "js", "text/javascript; charset=utf-8",
                "css", "text/css; charset=utf-8",
                "json", "application/json; charset=utf-8",
                "svg", "image/svg+xml",
                "png", "image/png",
                "ico", "image/x-icon");

        final Path dir;
        final byte[] config;
        final String contentSecurityPolicy;

        DemoApp(Path dir, String keycloakUrl, String realm, String clientId) {
            this.dir = dir.toAbsolutePath().normalize();
            this.config = object("keycloak_url", keycloakUrl, "realm", realm, "client_id", clientId)
                    .getBytes(StandardCharsets.UTF_8);
            // The page talks only to itself and to Keycloak; nothing else may run or load.
            this.contentSecurityPolicy = "default-src 'self'; connect-src 'self' " + origin(keycloakUrl)
                    + "; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        }

        static DemoApp fromEnvironment() {
            Map<String, String> env = System.getenv();
            String keycloakUrl = env.getOrDefault("DEMO_KEYCLOAK_URL", "http://localhost:8080").replaceAll("/+$", "");
            if (!keycloakUrl.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
                fail("DEMO_KEYCLOAK_URL must be an http(s) URL, not '" + keycloakUrl + "'");
            }
            return new DemoApp(Path.of(env.getOrDefault("DEMO_APP_DIR", "examples/demo-app")), keycloakUrl,
                    env.getOrDefault("DEMO_REALM", "demo"), env.getOrDefault("DEMO_CLIENT_ID", "demo-app"));
        }

        static String origin(String url) {
            int pathStart = url.indexOf('/', url.indexOf("//") + 2);
            return pathStart < 0 ? url : url.substring(0, pathStart);
        }

        void serve(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                int status = answer(exchange, path, method);
                log(method + " " + path.replaceAll("\\p{Cntrl}", "?") + " -> " + status);
            }
        }

        private int answer(HttpExchange exchange, String path, String method) throws IOException {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                return send(exchange, 405, null, null);
            }
            if (path.equals(PREFIX)) {
                exchange.getResponseHeaders().set("Location", PREFIX + "/");
                return send(exchange, 302, null, null);
            }
            if (!path.startsWith(PREFIX + "/")) {
                return send(exchange, 404, null, null);
            }
            String name = path.substring(PREFIX.length() + 1);
            if (name.isEmpty()) {
                name = "index.html";
            }
            if (name.equals("config.json")) {
                return send(exchange, 200, TYPES.get("json"), config);
            }
            // Only plain names of files right in the directory: no "..", no sub-paths, no hidden files.
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            Path file = dir.resolve(name).normalize();
            if (!FILE_NAME.matcher(name).matches() || type == null || !file.getParent().equals(dir)
                    || !Files.isRegularFile(file)) {
                return send(exchange, 404, null, null);
            }
            return send(exchange, 200, type, Files.readAllBytes(file));
        }

        private int send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
            var headers = exchange.getResponseHeaders();
            if (type != null) {
                headers.set("Content-Type", type);
            }
            headers.set("Cache-Control", "no-store");
            headers.set("X-Content-Type-Options", "nosniff");
            // The page's URL carries the authorization code for a moment: never send it on as a referrer.
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("Content-Security-Policy", contentSecurityPolicy);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            if (body == null || head) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
            return status;
        }
    }

    // --- small things ----------------------------------------------------------------------

    static int port(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail("FUNCTION_PORT must be a port number (1 to 65535), not '" + value + "'");
        return -1;
    }

    static void log(String line) {
        System.out.println(Instant.now() + " function-server " + line);
    }

    static void fail(String message) {
        System.err.println("function-server: " + message);
        System.exit(2);
    }
}
