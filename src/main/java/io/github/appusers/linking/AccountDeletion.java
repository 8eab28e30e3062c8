package io.github.appusers.linking;

import io.github.appusers.common.AppUsersEvents;
import io.github.appusers.common.BearerUser;
import io.github.appusers.common.UserSessions;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;

/**
 * {@code DELETE /me}: the user, its sessions (so refresh tokens stop at once) and, through the
 * foreign keys, its identities and tokens. Emits {@code DELETE_ACCOUNT} for apps to react to.
 */
final class AccountDeletion {

    private AccountDeletion() {
    }

    static void delete(KeycloakSession session, RealmModel realm, BearerUser caller) {
        UserModel user = caller.user();
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.DELETE_ACCOUNT).user(user).detail(Details.USERNAME, user.getUsername())
                .detail(AppUsersEvents.FLOW, "delete-me");
        if (caller.authResult().client() != null) {
            event.client(caller.authResult().client());
        }
        UserSessions.endAll(session, realm, user);
        new UserManager(session).removeUser(realm, user);
        event.success();
    }
}
