package io.github.appusers.functions;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A realm's function: an HTTP endpoint of the app that Keycloak calls, signed with its secret.
 * The secret is kept apart ({@link FunctionRegistry}); {@code secret} here only carries a new one
 * from an admin's request to the store, or one found in a definition of an earlier version.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class FunctionDefinition {

    /** What a function is for; a function serves only its own kind. */
    public enum Kind {
        login, confirmation, reset, call
    }

    @JsonProperty("name")
    public String name;

    @JsonProperty("kind")
    public Kind kind;

    @JsonProperty("url")
    public String url;

    @JsonProperty("secret")
    public String secret;

    @JsonProperty("timeout_ms")
    public int timeoutMs = FunctionRegistry.DEFAULT_TIMEOUT_MS;

    /** The admin view: everything but the secret. */
    @JsonIgnore
    public FunctionDefinition withoutSecret() {
        FunctionDefinition copy = new FunctionDefinition();
        copy.name = name;
        copy.kind = kind;
        copy.url = url;
        copy.timeoutMs = timeoutMs;
        return copy;
    }
}
