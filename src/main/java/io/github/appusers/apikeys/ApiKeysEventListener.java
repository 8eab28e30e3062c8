package io.github.appusers.apikeys;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;

/**
 * Disables every user API key of a user whose password was reset (our email and function resets,
 * and Keycloak's own "forgot password" flow: all record a successful {@code RESET_PASSWORD}) or
 * whom an admin signed out everywhere ({@code POST /admin/realms/{realm}/users/{id}/logout}).
 * Whoever had the account's password or sessions may have made keys; after a reset or a sign-out
 * they must stop working too. Events reach listeners inside the request, so the keys are disabled
 * in the same transaction.
 */
final class ApiKeysEventListener implements EventListenerProvider {

    private static final Logger LOG = Logger.getLogger(ApiKeysEventListener.class);
    private static final Pattern ADMIN_LOGOUT = Pattern.compile("users/([^/]+)/logout");

    private final KeycloakSession session;

    ApiKeysEventListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getType() == EventType.RESET_PASSWORD && event.getUserId() != null) {
            disable(event.getRealmId(), event.getUserId(), "password reset");
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (event.getResourceType() != ResourceType.USER || event.getOperationType() != OperationType.ACTION
                || event.getResourcePath() == null) {
            return;
        }
        Matcher logout = ADMIN_LOGOUT.matcher(event.getResourcePath());
        if (logout.matches()) {
            disable(event.getRealmId(), logout.group(1), "admin sign-out");
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
