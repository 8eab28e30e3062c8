package io.github.appusers.apikeys;

import java.util.Optional;
import java.util.Set;

import io.github.appusers.common.AdminUsers;
import io.github.appusers.signin.AppUsersGrant;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;

/**
 * {@code grant_type=urn:app-users:grant-type:api-key} with {@code api_key}: logs in as the key's
 * user. A wrong, disabled or deleted key, or a disabled user, all get the same answer.
 */
final class ApiKeyGrantType extends AppUsersGrant {

    static final String FLOW = "api-key";

    @Override
    public Response process(Context context) {
        begin(context, FLOW, ProviderTypes.API_KEY);
        if (!SettingsStore.read(realm).apiKeys.enabled) {
            throw featureDisabled("API keys are not enabled in this realm");
        }
        ApiKeyStore keys = new ApiKeyStore(session);
        Optional<ApiKeyEntity> key = keys.verify(realm, formParams.getFirst("api_key"));
        UserModel user = key.map(k -> session.users().getUserById(realm, k.getUserId())).orElse(null);
        if (user == null || !user.isEnabled()) {
            throw error(OAuthErrorException.INVALID_GRANT, "Invalid API key", Response.Status.BAD_REQUEST,
                    Errors.INVALID_USER_CREDENTIALS);
        }
        if (AdminUsers.holdsAdminRole(realm, user)) {
            event.user(user);
            throw error(OAuthErrorException.INVALID_GRANT, "API keys cannot sign in users that hold admin roles",
                    Response.Status.BAD_REQUEST, Errors.NOT_ALLOWED);
        }
        keys.touch(key.get());
        event.detail(MeApiKeysResource.API_KEY_ID, key.get().getId());
        return loginAs(user, FLOW, ProviderTypes.API_KEY);
    }

    /** A key is a standing credential: its sessions never authorize linking, unlinking or new keys. */
    @Override
    protected boolean startsRecentLogins() {
        return false;
    }

    @Override
    public EventType getEventType() {
        return EventType.LOGIN;
    }

    @Override
    public Set<String> getTokenParameterNames() {
        return Set.of("api_key");
    }
}
