package io.github.appusers.functions;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.secrets.RealmSecrets;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;

/**
 * A realm's functions: the definition in a realm attribute each ({@code app-users.function.<name>},
 * so realm export and import carry it and every node reads it from the realm cache), the signing
 * secret as a stored secret of the realm ({@link RealmSecrets}, named {@code function.<name>}),
 * never in the attribute. A definition written by an earlier version with its secret inside moves
 * the secret out the first time it is read.
 */
public final class FunctionRegistry {

    public static final String ATTRIBUTE_PREFIX = "app-users.function.";
    public static final String SECRET_PREFIX = "function.";
    public static final int DEFAULT_TIMEOUT_MS = 5000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Logger LOG = Logger.getLogger(FunctionRegistry.class);

    private final RealmModel realm;
    private final RealmSecrets secrets;

    public FunctionRegistry(KeycloakSession session, RealmModel realm) {
        this.realm = realm;
        this.secrets = new RealmSecrets(session, realm);
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

    /** The secret the function's requests are signed with (a vault reference resolved); empty when it has none. */
    public Optional<String> signingSecret(FunctionDefinition function) {
        // Fails closed on a secret out of bounds, however it got there (an import, a component).
        return secrets.resolve(SECRET_PREFIX + function.name)
                .filter(FunctionRequests::secretLengthOk);
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

    /**
     * The function {@link #put} would store, without storing it: {@code secret} set only when the
     * request brings a new one.
     */
    public FunctionDefinition validate(String name, ObjectNode request) throws InvalidFunctionException {
        return new FunctionRequests(this, secrets).validate(name, request);
    }

    /** Whether the function exists and has a stored secret (a new function must bring one). */
    boolean hasSecret(String name) {
        return find(name).isPresent() && secrets.has(SECRET_PREFIX + name);
    }

    /** Stores a function that {@link #validate} produced: its definition, and its secret when it brought one. */
    public void store(FunctionDefinition function) {
        try {
            realm.setAttribute(ATTRIBUTE_PREFIX + function.name,
                    JsonSerialization.writeValueAsString(function.withoutSecret()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (function.secret != null) {
            secrets.put(SECRET_PREFIX + function.name, function.secret);
        }
    }

    public boolean remove(String name) {
        if (find(name).isEmpty()) {
            return false;
        }
        realm.removeAttribute(ATTRIBUTE_PREFIX + name);
        secrets.remove(SECRET_PREFIX + name);
        return true;
    }

    /** Moves the secrets of every function stored by an earlier version out of the realm attributes. */
    public void moveLegacySecrets() {
        list();
    }

    private Optional<FunctionDefinition> parse(String name, String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        try {
            FunctionDefinition function = JsonSerialization.readValue(stored, FunctionDefinition.class);
            function.name = name;
            if (function.kind == null || function.url == null) {
                throw new IOException("incomplete");
            }
            if (function.secret != null) {
                moveLegacySecret(function);
            }
            return Optional.of(function);
        } catch (IOException e) {
            LOG.warnf("Realm '%s': realm attribute '%s%s' is not a valid function; ignoring it", realm.getName(),
                    ATTRIBUTE_PREFIX, name);
            return Optional.empty();
        }
    }

    /** Versions before 0.2 kept the secret inside the attribute: it becomes a stored secret. */
    private void moveLegacySecret(FunctionDefinition function) {
        if (!secrets.has(SECRET_PREFIX + function.name)) {
            secrets.put(SECRET_PREFIX + function.name, function.secret);
        }
        function.secret = null;
        try {
            realm.setAttribute(ATTRIBUTE_PREFIX + function.name, JsonSerialization.writeValueAsString(function));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        LOG.infof("Realm '%s': moved the secret of function '%s' out of the realm attributes", realm.getName(),
                function.name);
    }

    /** An admin's function definition that cannot be accepted. */
    public static final class InvalidFunctionException extends Exception {
        public InvalidFunctionException(String message) {
            super(message);
        }
    }
}
