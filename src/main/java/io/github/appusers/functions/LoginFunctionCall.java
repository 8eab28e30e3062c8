package io.github.appusers.functions;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** Asks a realm's login function to vouch for a payload: for the login grant and for linking. */
public final class LoginFunctionCall {

    private final LoginAnswer answer;

    private LoginFunctionCall(LoginAnswer answer) {
        this.answer = answer;
    }

    /** The login function named so, if the realm has one. */
    public static Optional<FunctionDefinition> find(KeycloakSession session, RealmModel realm, String name) {
        return new FunctionRegistry(session, realm).find(name, FunctionDefinition.Kind.login);
    }

    public static LoginFunctionCall call(KeycloakSession session, FunctionDefinition function, JsonNode payload)
            throws FunctionException {
        return new LoginFunctionCall(LoginAnswer.parse(function,
                new FunctionClient(session).call(function, Map.of("payload", payload))));
    }

    /** The id the function vouched for: the {@code custom-function} identity. */
    public String id() {
        return answer.id;
    }

    /** Fills a new user's profile from the answer. */
    public void applyTo(KeycloakSession session, RealmModel realm, UserModel user) {
        answer.applyTo(session, realm, user);
    }
}
