package io.github.appusers.functions;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.common.AppUsersMetrics;
import io.github.appusers.common.ClientAddress;
import io.github.appusers.common.RateLimiter;
import io.github.appusers.settings.AppUsersSettings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** Asks a realm's login function to vouch for a payload: for the login grant and for linking. */
public final class LoginFunctionCall {

    /** What a client gets told when its address is over the limit. */
    public static final String RATE_LIMITED = "Too many custom-function logins from this address; try again later";
    private static final int ATTEMPT_WINDOW_SECONDS = 60;

    private final LoginAnswer answer;

    private LoginFunctionCall(LoginAnswer answer) {
        this.answer = answer;
    }

    /** The login function named so, if the realm has one. */
    public static Optional<FunctionDefinition> find(KeycloakSession session, RealmModel realm, String name) {
        return new FunctionRegistry(session, realm).find(name, FunctionDefinition.Kind.login);
    }

    /**
     * Counts one login-function attempt from the request's client address (see
     * {@link ClientAddress}) in the realm's sliding minute, before the function is called: logins
     * and links alike, as both ask the same function. Refused past
     * {@code custom_function.max_logins_per_ip_per_minute}.
     */
    public static RateLimiter.Decision countAttempt(KeycloakSession session, RealmModel realm,
            AppUsersSettings.CustomFunction settings) {
        RateLimiter.Decision decision = new RateLimiter(session).acquire(
                "fn-login." + realm.getId() + "." + ClientAddress.limitKey(session), settings.maxLoginsPerIpPerMinute,
                ATTEMPT_WINDOW_SECONDS);
        if (!decision.allowed()) {
            AppUsersMetrics.rateLimited(realm, "custom_function_login");
        }
        return decision;
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
