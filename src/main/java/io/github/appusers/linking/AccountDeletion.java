package io.github.appusers.linking;

import io.github.appusers.common.AdminUsers;
import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.BearerUser;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.common.UserSessions;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.core.Response;
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

    /**
     * {@code 403 forbidden} unless the realm lets users delete themselves and this user may:
     * holders of admin roles and users of a user federation provider (whose account lives in
     * another system) are deleted by administrators only.
     */
    static void requireAllowed(RealmModel realm, UserModel user) {
        if (!SettingsStore.read(realm).accountDeletionAllowed(SettingsStore.isAdminRealm(realm))) {
            throw forbidden("Account deletion is not enabled in this realm");
        }
        if (AdminUsers.holdsAdminRole(realm, user)) {
            throw forbidden("An account with admin roles cannot delete itself; an administrator can delete it");
        }
        if (user.getFederationLink() != null) {
            throw forbidden("An account of a user federation provider cannot delete itself; an administrator can delete it");
        }
    }

    static void delete(KeycloakSession session, RealmModel realm, BearerUser caller) {
        UserModel user = caller.user();
        UserSessions.endAll(session, realm, user);
        new UserManager(session).removeUser(realm, user);
    }

    private static AppUsersError forbidden(String description) {
        return new AppUsersError(Response.Status.FORBIDDEN, ErrorCodes.FORBIDDEN, description);
    }
}
