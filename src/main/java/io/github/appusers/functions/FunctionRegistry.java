package io.github.appusers.functions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jboss.logging.Logger;
import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;

/**
 * A realm's functions, one realm attribute each ({@code app-users.function.<name>}), so realm
 * export and import carry them and every node reads them from the realm cache.
 */
public final class FunctionRegistry {

    public static final String ATTRIBUTE_PREFIX = "app-users.function.";
    public static final int DEFAULT_TIMEOUT_MS = 5000;
    static final int MAX_TIMEOUT_MS = 30_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final int MAX_URL_LENGTH = 2048;
    private static final int MAX_SECRET_LENGTH = 512;
    private static final int MIN_SECRET_LENGTH = 16;
    private static final Logger LOG = Logger.getLogger(FunctionRegistry.class);

    private final RealmModel realm;

    public FunctionRegistry(RealmModel realm) {
        this.realm = realm;
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public Optional<FunctionDefinition> find(String name) {
        if (!isValidName(name)) {
            return Optional.empty();
        }
        return parse(name, realm.getAttribute(ATTRIBUTE_PREFIX + name));
    }

    /** The function named so, if it exists and serves {@code kind}. */
    public Optional<FunctionDefinition> find(String name, FunctionDefinition.Kind kind) {
        return find(name).filter(function -> function.kind == kind);
    }

    public List<FunctionDefinition> list() {
        return realm.getAttributes().entrySet().stream()
                .filter(e -> e.getKey().startsWith(ATTRIBUTE_PREFIX))
                .map(e -> parse(e.getKey().substring(ATTRIBUTE_PREFIX.length()), e.getValue()))
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(f -> f.name))
                .toList();
    }

    /**
     * Creates or replaces a function from an admin's JSON. The secret may be left out when the
     * function exists (it is kept); it is required for a new one.
     */
    public FunctionDefinition put(String name, ObjectNode request) throws InvalidFunctionException {
        FunctionDefinition function = validate(name, request);
        store(function);
        return function;
    }

    /** The function {@link #put} would store, without storing it. */
    public FunctionDefinition validate(String name, ObjectNode request) throws InvalidFunctionException {
        if (!isValidName(name)) {
            throw new InvalidFunctionException("a function name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        for (var it = request.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!List.of("kind", "url", "secret", "timeout_ms", "name").contains(field)) {
                throw new InvalidFunctionException("unknown field '" + field + "'");
            }
        }
        FunctionDefinition function = new FunctionDefinition();
        function.name = name;
        function.kind = kind(request.get("kind"));
        function.url = url(request.get("url"));
        function.timeoutMs = timeout(request.get("timeout_ms"));
        JsonNode secret = request.get("secret");
        if (secret == null || secret.isNull()) {
            function.secret = find(name).map(existing -> existing.secret)
                    .orElseThrow(() -> new InvalidFunctionException("secret is required for a new function"));
        } else if (!secret.isTextual() || secret.asText().length() < MIN_SECRET_LENGTH
                || secret.asText().length() > MAX_SECRET_LENGTH) {
            throw new InvalidFunctionException("secret must be a string of " + MIN_SECRET_LENGTH + " to "
                    + MAX_SECRET_LENGTH + " characters");
        } else {
            function.secret = secret.asText();
        }
        JsonNode bodyName = request.get("name");
        if (bodyName != null && !(bodyName.isTextual() && name.equals(bodyName.asText()))) {
            throw new InvalidFunctionException("name in the body must match the path");
        }
        return function;
    }

    /** Stores a function that {@link #validate} produced. */
    public void store(FunctionDefinition function) {
        try {
            realm.setAttribute(ATTRIBUTE_PREFIX + function.name, JsonSerialization.writeValueAsString(function));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean remove(String name) {
        if (find(name).isEmpty()) {
            return false;
        }
        realm.removeAttribute(ATTRIBUTE_PREFIX + name);
        return true;
    }

    private Optional<FunctionDefinition> parse(String name, String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        try {
            FunctionDefinition function = JsonSerialization.readValue(stored, FunctionDefinition.class);
            function.name = name;
            if (function.kind == null || function.url == null || function.secret == null) {
                throw new IOException("incomplete");
            }
            return Optional.of(function);
        } catch (IOException e) {
            LOG.warnf("Realm '%s': realm attribute '%s%s' is not a valid function; ignoring it", realm.getName(),
                    ATTRIBUTE_PREFIX, name);
            return Optional.empty();
        }
    }

    private static FunctionDefinition.Kind kind(JsonNode node) throws InvalidFunctionException {
        if (node != null && node.isTextual()) {
            for (FunctionDefinition.Kind kind : FunctionDefinition.Kind.values()) {
                if (kind.name().equals(node.asText())) {
                    return kind;
                }
            }
        }
        throw new InvalidFunctionException("kind must be one of login, confirmation, reset, call");
    }

    private static int timeout(JsonNode node) throws InvalidFunctionException {
        if (node == null || node.isNull()) {
            return DEFAULT_TIMEOUT_MS;
        }
        if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > MAX_TIMEOUT_MS) {
            throw new InvalidFunctionException("timeout_ms must be a whole number from 1 to " + MAX_TIMEOUT_MS);
        }
        return node.asInt();
    }

    /** HTTPS, or plain HTTP to a loopback address only (a function on the same machine). */
    static String url(JsonNode node) throws InvalidFunctionException {
        if (node == null || !node.isTextual() || node.asText().length() > MAX_URL_LENGTH) {
            throw new InvalidFunctionException("url is required");
        }
        try {
            URI uri = new URI(node.asText());
            if (uri.getHost() == null || uri.getUserInfo() != null) {
                throw new InvalidFunctionException("url must be an absolute URL without credentials");
            }
            if ("https".equals(uri.getScheme())) {
                return uri.toString();
            }
            if ("http".equals(uri.getScheme()) && isLoopback(uri.getHost())) {
                return uri.toString();
            }
            throw new InvalidFunctionException("url must use https (plain http only for loopback addresses)");
        } catch (URISyntaxException e) {
            throw new InvalidFunctionException("url is not a valid URL");
        }
    }

    static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // Only IP literals: a name could resolve elsewhere later.
        if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An admin's function definition that cannot be accepted. */
    public static final class InvalidFunctionException extends Exception {
        public InvalidFunctionException(String message) {
            super(message);
        }
    }
}
