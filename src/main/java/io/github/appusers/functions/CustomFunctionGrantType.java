package io.github.appusers.functions;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.signin.AppUsersGrant;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.common.RateLimiter;
import io.github.appusers.identity.ExternalUserProvisioning;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

/**
 * {@code grant_type=urn:app-users:grant-type:custom-function} with {@code function} and
 * {@code payload}: the realm's login function vouches for an id, which maps to a
 * {@code custom-function} identity; the first login creates the user.
 */
final class CustomFunctionGrantType extends AppUsersGrant {

    static final String FLOW = "custom-function";
    /** Payloads are small login proofs; larger ones are refused before any call. */
    static final int MAX_PAYLOAD_BYTES = 16 * 1024;

    @Override
    public Response process(Context context) {
        begin(context, FLOW, ProviderTypes.CUSTOM_FUNCTION);
        AppUsersSettings.CustomFunction settings = SettingsStore.read(realm).customFunction;
        if (!settings.enabled) {
            throw featureDisabled("Custom-function login is not enabled in this realm");
        }
        String name = formParams.getFirst("function");
        if (name == null || name.isBlank()) {
            throw error(OAuthErrorException.INVALID_REQUEST, "Missing parameter: function", Response.Status.BAD_REQUEST,
                    Errors.INVALID_REQUEST);
        }
        Optional<FunctionDefinition> function = LoginFunctionCall.find(session, realm, name);
        if (function.isEmpty()) {
            throw error(OAuthErrorException.INVALID_REQUEST, "No login function named '" + abbreviate(name) + "'",
                    Response.Status.BAD_REQUEST, Errors.INVALID_REQUEST);
        }
        event.detail("function", function.get().name);
        JsonNode payload = payload();
        RateLimiter.Decision attempt = LoginFunctionCall.countAttempt(session, realm, settings);
        if (!attempt.allowed()) {
            return tooManyRequests(LoginFunctionCall.RATE_LIMITED, attempt.retryAfterSeconds(), ErrorCodes.RATE_LIMITED);
        }

        LoginFunctionCall answer;
        try {
            answer = LoginFunctionCall.call(session, function.get(), payload);
        } catch (FunctionException e) {
            throw error(e.error(), e.getMessage(), Response.Status.fromStatusCode(e.status()),
                    e.refused() ? Errors.INVALID_USER_CREDENTIALS : e.error());
        }

        ExternalUserProvisioning.Provisioned provisioned = new ExternalUserProvisioning(session, realm)
                .findOrCreate(ProviderTypes.CUSTOM_FUNCTION, answer.id(), "fn-",
                        (s, user) -> answer.applyTo(s, s.getContext().getRealm(), user));
        UserModel user = provisioned.user();
        if (provisioned.created()) {
            event.detail(Details.REGISTER_METHOD, FLOW);
        }
        if (!user.isEnabled()) {
            event.user(user);
            throw error(OAuthErrorException.INVALID_GRANT, "Account disabled", Response.Status.BAD_REQUEST,
                    Errors.USER_DISABLED);
        }
        return loginAs(user, FLOW, ProviderTypes.CUSTOM_FUNCTION);
    }

    private JsonNode payload() {
        String raw = formParams.getFirst("payload");
        if (raw == null) {
            throw error(ErrorCodes.INVALID_PAYLOAD, "Missing parameter: payload (a JSON object)",
                    Response.Status.BAD_REQUEST, Errors.INVALID_REQUEST);
        }
        if (raw.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw error(ErrorCodes.PAYLOAD_TOO_LARGE, "payload is larger than " + MAX_PAYLOAD_BYTES + " bytes",
                    Response.Status.REQUEST_ENTITY_TOO_LARGE, Errors.INVALID_REQUEST);
        }
        try {
            JsonNode payload = JsonSerialization.mapper.readTree(raw);
            if (payload != null && payload.isObject()) {
                return payload;
            }
        } catch (JsonProcessingException e) {
            // answered below
        }
        throw error(ErrorCodes.INVALID_PAYLOAD, "payload must be a JSON object", Response.Status.BAD_REQUEST,
                Errors.INVALID_REQUEST);
    }

    private static String abbreviate(String name) {
        String clean = name.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 64 ? clean : clean.substring(0, 64) + "...";
    }

    @Override
    public EventType getEventType() {
        return EventType.LOGIN;
    }

    @Override
    public Set<String> getTokenParameterNames() {
        return Set.of("function", "payload");
    }
}
