package io.github.appusers.linking;

import io.github.appusers.common.BearerUser;
import io.github.appusers.common.UserSessions;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;

/**
 * {@code DELETE /me}: the user, its sessions (so refresh tokens stop at once) and, through the
 * foreign keys, its identities and tokens. {@link SelfService} records the {@code DELETE_ACCOUNT}
 * event apps react to.
 */
final class AccountDeletion {

    private AccountDeletion() {
    }

    static void delete(KeycloakSession session, RealmModel realm, BearerUser caller) {
        UserModel user = caller.user();
        UserSessions.endAll(session, realm, user);
        new UserManager(session).removeUser(realm, user);
    }
}
