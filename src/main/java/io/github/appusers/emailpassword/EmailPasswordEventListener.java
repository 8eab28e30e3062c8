package io.github.appusers.emailpassword;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.AppUsersEvents;
import io.github.appusers.common.AppUsersMetrics;
import io.github.appusers.identity.IdentityStore;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Brings Keycloak's own registration page under the same rules as the REST registration (the
 * realm's confirmation workflow for the address, so the new user waits on the "confirm your
 * email" page, and the {@code local-userpass} identity once it is confirmed), and records logins
 * for the "pending first login" status. Only registrations through that page count: a first
 * login through an identity provider (or a token exchange) also emits {@code REGISTER}, but its
 * user signed up elsewhere and gets neither a password identity nor a confirmation from us.
 */
final class EmailPasswordEventListener implements EventListenerProvider {

    private static final long LOGIN_RESOLUTION_MILLIS = 60_000;
    private static final String REGISTRATION_PAGE = "form";
    private static final Logger LOG = Logger.getLogger(EmailPasswordEventListener.class);

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
            if (OAuth2Constants.PASSWORD.equals(event.getDetails() == null ? null
                    : event.getDetails().get(Details.GRANT_TYPE))) {
                // In a realm with email/password on, a password grant sign-in counts as local-userpass.
                AppUsersMetrics.signIn(realm, ProviderTypes.LOCAL_USERPASS, AppUsersMetrics.SUCCESS);
            }
            return;
        }
        if (AppUsersEvents.isOurs(event) || user.getEmail() == null || !fromRegistrationPage(event)) {
            return;
        }
        String email = user.getEmail();
        if (new EmailClaims(session, realm).confirmedOwner(email, user).isPresent()) {
            return; // the address is another user's way in; Keycloak's own duplicate checks apply
        }
        if (settings.confirmation != AppUsersSettings.ConfirmationMode.AUTO) {
            PendingConfirmation.mark(user);
        }
        try {
            new ConfirmationWorkflow(session, realm, settings).run(user, email);
        } catch (AppUsersError e) {
            LOG.debugf("Realm '%s': a registration page user could not take its address (%s)", realm.getName(),
                    e.getMessage());
        }
    }

    /** Keycloak's registration form sets {@code register_method=form}; brokers and token exchange do not. */
    private static boolean fromRegistrationPage(Event event) {
        return event.getDetails() != null && REGISTRATION_PAGE.equals(event.getDetails().get(Details.REGISTER_METHOD));
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
    }

    @Override
    public void close() {
    }
}
