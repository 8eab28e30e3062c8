package io.github.appusers.functions;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.common.UrlPolicy;
import io.github.appusers.functions.FunctionRegistry.InvalidFunctionException;
import io.github.appusers.secrets.RealmSecrets;

/**
 * An admin's function definition (REST {@code PUT .../functions/{name}} or a console tab row),
 * checked field by field before anything is stored: the name, the kind, the URL (HTTPS, or plain
 * HTTP to a loopback IP), the timeout, and the secret (16 to 512 characters or a vault reference
 * whose entry is so; required for a new function).
 */
final class FunctionRequests {

    static final int MAX_TIMEOUT_MS = 30_000;
    private static final int MAX_SECRET_LENGTH = 512;
    private static final int MIN_SECRET_LENGTH = 16;

    private final FunctionRegistry registry;
    private final RealmSecrets secrets;

    FunctionRequests(FunctionRegistry registry, RealmSecrets secrets) {
        this.registry = registry;
        this.secrets = secrets;
    }

    /** The function a request describes; {@code secret} set only when the request brings a new one. */
    FunctionDefinition validate(String name, ObjectNode request) throws InvalidFunctionException {
        if (!FunctionRegistry.isValidName(name)) {
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
            if (!registry.hasSecret(name)) {
                throw new InvalidFunctionException("secret is required for a new function");
            }
        } else if (!secret.isTextual()) {
            throw new InvalidFunctionException("secret must be a string of " + MIN_SECRET_LENGTH + " to "
                    + MAX_SECRET_LENGTH + " characters, or a vault reference ${vault.<key>}");
        } else {
            function.secret = checkedSecret(secret.asText());
        }
        JsonNode bodyName = request.get("name");
        if (bodyName != null && !(bodyName.isTextual() && name.equals(bodyName.asText()))) {
            throw new InvalidFunctionException("name in the body must match the path");
        }
        return function;
    }

    /** A new secret as given (a vault reference stays one), once what it stands for is long enough. */
    private String checkedSecret(String value) throws InvalidFunctionException {
        if (RealmSecrets.isVaultReference(value)) {
            String resolved = secrets.resolveValue(value).orElseThrow(() -> new InvalidFunctionException(
                    "secret refers to a vault entry that does not exist"));
            lengthOk(resolved);
            return value;
        }
        lengthOk(value);
        return value;
    }

    static boolean secretLengthOk(String secret) {
        return secret.length() >= MIN_SECRET_LENGTH && secret.length() <= MAX_SECRET_LENGTH;
    }

    private static void lengthOk(String secret) throws InvalidFunctionException {
        if (!secretLengthOk(secret)) {
            throw new InvalidFunctionException("secret must be a string of " + MIN_SECRET_LENGTH + " to "
                    + MAX_SECRET_LENGTH + " characters, or a vault reference ${vault.<key>}");
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
            return FunctionRegistry.DEFAULT_TIMEOUT_MS;
        }
        if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > MAX_TIMEOUT_MS) {
            throw new InvalidFunctionException("timeout_ms must be a whole number from 1 to " + MAX_TIMEOUT_MS);
        }
        return node.asInt();
    }

    /** HTTPS, or plain HTTP to a loopback address only (a function on the same machine). */
    static String url(JsonNode node) throws InvalidFunctionException {
        if (node == null || !node.isTextual()) {
            throw new InvalidFunctionException("url is required");
        }
        String problem = UrlPolicy.problem(node.asText());
        if (problem != null) {
            throw new InvalidFunctionException("url " + problem);
        }
        return node.asText();
    }
}
