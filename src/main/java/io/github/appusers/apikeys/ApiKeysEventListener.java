package io.github.appusers.apikeys;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * Disables every user API key of a user whose password was reset or changed, or whom an admin
 * signed out everywhere: whoever had the account's password or sessions may have made keys, and
 * after a reset or a sign-out they must stop working too. Events reach listeners inside the
 * request, so the keys are disabled in the same transaction. The events:
 * <ul>
 *   <li>a successful {@code RESET_PASSWORD}: our email and function resets;</li>
 *   <li>a password set through Keycloak's pages ({@code UPDATE_PASSWORD}, or {@code UPDATE_CREDENTIAL}
 *       of a password): its "Forgot password" flow records no {@code RESET_PASSWORD} but sets the new
 *       password through the update-password action, as the account console and an admin-required
 *       update do;</li>
 *   <li>admin events {@code users/{id}/logout} ("Sign out") and {@code users/{id}/reset-password}.</li>
 * </ul>
 */
final class ApiKeysEventListener implements EventListenerProvider {

    private static final Logger LOG = Logger.getLogger(ApiKeysEventListener.class);
    private static final Pattern ADMIN_ACTION = Pattern.compile("users/([^/]+)/(logout|reset-password)");

    private final KeycloakSession session;

    ApiKeysEventListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getUserId() == null) {
            return;
        }
        if (event.getType() == EventType.RESET_PASSWORD) {
            disable(event.getRealmId(), event.getUserId(), "password reset");
        } else if (event.getType() == EventType.UPDATE_PASSWORD || event.getType() == EventType.UPDATE_CREDENTIAL
                && PasswordCredentialModel.TYPE.equals(detail(event, Details.CREDENTIAL_TYPE))) {
            disable(event.getRealmId(), event.getUserId(), "password change");
        }
    }

    private static String detail(Event event, String name) {
        return event.getDetails() == null ? null : event.getDetails().get(name);
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        // Sign-out is an ACTION, a password an admin sets an UPDATE, of the user resource.
        if (event.getResourceType() != ResourceType.USER || event.getOperationType() == OperationType.DELETE
                || event.getResourcePath() == null) {
            return;
        }
        Matcher action = ADMIN_ACTION.matcher(event.getResourcePath());
        if (action.matches()) {
            disable(event.getRealmId(), action.group(1), "admin " + action.group(2));
        }
    }

    private void disable(String realmId, String userId, String why) {
        int disabled = new ApiKeyStore(session).disableUserKeys(userId);
        if (disabled > 0) {
            LOG.debugf("Realm %s: disabled %d API keys of user %s after a %s", realmId, disabled, userId, why);
        }
    }

    @Override
    public void close() {
    }
}
