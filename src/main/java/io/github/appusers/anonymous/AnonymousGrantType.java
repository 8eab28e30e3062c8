package io.github.appusers.anonymous;

import java.util.Set;

import io.github.appusers.signin.AppUsersGrant;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;

/** {@code grant_type=urn:app-users:grant-type:anonymous}: a new guest user, logged in. */
final class AnonymousGrantType extends AppUsersGrant {

    static final String FLOW = "anonymous";

    @Override
    public Response process(Context context) {
        begin(context, FLOW, ProviderTypes.ANONYMOUS);
        AppUsersSettings.Anonymous settings = SettingsStore.read(realm).anonymous;
        if (!settings.enabled) {
            throw featureDisabled("Anonymous login is not enabled in this realm");
        }
        AnonymousSignup signup = new AnonymousSignup(session, realm);
        if (signup.defaultsGrantAdminRole()) {
            throw error(ErrorCodes.FORBIDDEN, AnonymousAdminRoles.DEFAULTS_REFUSAL, Response.Status.FORBIDDEN,
                    Errors.NOT_ALLOWED);
        }
        if (!signup.withinRateLimit(settings)) {
            return tooManyRequests("Too many anonymous sign-ups from this address; try again later",
                    signup.retryAfterSeconds(), ErrorCodes.RATE_LIMITED);
        }
        UserModel user = signup.create();
        event.detail("register", "true");
        return loginAs(user, FLOW, ProviderTypes.ANONYMOUS);
    }

    @Override
    public EventType getEventType() {
        return EventType.LOGIN;
    }

    @Override
    public Set<String> getTokenParameterNames() {
        return Set.of();
    }
}
