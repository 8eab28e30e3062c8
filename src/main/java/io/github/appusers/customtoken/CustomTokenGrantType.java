package io.github.appusers.customtoken;

import java.util.Set;

import io.github.appusers.signin.AppUsersGrant;
import io.github.appusers.identity.ExternalUserProvisioning;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.VerificationException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;

/**
 * {@code grant_type=urn:app-users:grant-type:custom-token} with {@code token}: an external JWT
 * logs in the user owning its {@code sub}; the first login creates the user. Keycloak's JWT
 * authorization grant does not provision unknown subjects, hence this grant.
 */
final class CustomTokenGrantType extends AppUsersGrant {

    static final String FLOW = "custom-token";

    @Override
    public Response process(Context context) {
        begin(context, FLOW, ProviderTypes.CUSTOM_TOKEN);
        AppUsersSettings.CustomToken settings = SettingsStore.read(realm).customToken;
        if (!settings.enabled) {
            throw featureDisabled("Custom JWT login is not enabled in this realm");
        }
        CustomTokenIdentity identity;
        try {
            identity = CustomTokenIdentity.verify(session, realm, settings, formParams.getFirst("token"));
        } catch (VerificationException e) {
            throw error(OAuthErrorException.INVALID_GRANT, "Invalid token: " + e.getMessage(), Response.Status.BAD_REQUEST,
                    Errors.INVALID_TOKEN);
        }
        ExternalUserProvisioning.Provisioned provisioned = new ExternalUserProvisioning(session, realm)
                .findOrCreate(ProviderTypes.CUSTOM_TOKEN, identity.subject(), "jwt-",
                        (s, user) -> identity.applyTo(s, s.getContext().getRealm(), user));
        UserModel user = provisioned.user();
        if (provisioned.created()) {
            event.detail(Details.REGISTER_METHOD, FLOW);
        } else {
            identity.applyTo(session, realm, user);
        }
        if (!user.isEnabled()) {
            event.user(user);
            throw error(OAuthErrorException.INVALID_GRANT, "Account disabled", Response.Status.BAD_REQUEST,
                    Errors.USER_DISABLED);
        }
        return loginAs(user, FLOW, ProviderTypes.CUSTOM_TOKEN);
    }

    @Override
    public EventType getEventType() {
        return EventType.LOGIN;
    }

    @Override
    public Set<String> getTokenParameterNames() {
        return Set.of("token");
    }
}
