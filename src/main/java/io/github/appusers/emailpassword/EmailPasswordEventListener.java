package io.github.appusers.emailpassword;

import io.github.appusers.common.AppUsersEvents;
import io.github.appusers.identity.IdentityStore;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Brings Keycloak's own registration page under the same rules as the REST registration (a
 * {@code local-userpass} identity, then the realm's confirmation workflow, so the new user waits
 * on the "confirm your email" page), and records logins for the "pending first login" status.
 */
final class EmailPasswordEventListener implements EventListenerProvider {

    private static final long LOGIN_RESOLUTION_MILLIS = 60_000;

    private final KeycloakSession session;

    EmailPasswordEventListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getUserId() == null || (event.getType() != EventType.REGISTER && event.getType() != EventType.LOGIN)) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (realm == null) {
            return;
        }
        AppUsersSettings.EmailPassword settings = SettingsStore.read(realm).emailPassword;
        if (!settings.enabled) {
            return;
        }
        UserModel user = session.users().getUserById(realm, event.getUserId());
        if (user == null) {
            return;
        }
        if (event.getType() == EventType.LOGIN) {
            if (!AppUsersEvents.isOurs(event)) {
                new IdentityStore(session).touchType(user, ProviderTypes.LOCAL_USERPASS, LOGIN_RESOLUTION_MILLIS);
            }
            return;
        }
        if (AppUsersEvents.isOurs(event) || user.getEmail() == null) {
            return;
        }
        try {
            new IdentityStore(session).add(realm, user, ProviderTypes.LOCAL_USERPASS, user.getEmail());
        } catch (IdentityStore.IdentityInUseException e) {
            return; // the address is another user's way in; Keycloak's own duplicate checks apply
        }
        new ConfirmationWorkflow(session, realm, settings).run(user);
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
    }

    @Override
    public void close() {
    }
}
