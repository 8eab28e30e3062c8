package io.github.appusers.anonymous;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.ErrorCodes;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Anonymous users never hold admin roles (realm-management roles, or the master realm's admin
 * roles), whether given directly, through a composite role, a group, or the realm's defaults.
 * Keycloak has no veto hook for role mappings, so a change that would break the rule is refused
 * when its admin request commits: the whole request is rolled back and answers 403.
 */
final class AnonymousAdminRoles {

    private AnonymousAdminRoles() {
    }

    static boolean holdsAdminRole(UserModel user) {
        return user.getRoleMappingsStream().anyMatch(AdminRoles::isAdminRoleOrComposite)
                || user.getGroupsStream().anyMatch(AdminRoles::groupHasAdminRoles);
    }

    /** What every new user gets: the realm's default role (a composite) and default groups. */
    static boolean defaultsGrantAdminRole(RealmModel realm) {
        return AdminRoles.isAdminRoleOrComposite(realm.getDefaultRole())
                || realm.getDefaultGroupsStream().anyMatch(AdminRoles::groupHasAdminRoles);
    }

    static final String DEFAULTS_REFUSAL = "The realm's default roles or default groups include admin roles, which "
            + "anonymous users must not hold; anonymous sign-up is refused until they are removed";

    /** Makes the current request fail at commit, before anything of it is written. */
    static void refuseAtCommit(KeycloakSession session, String description) {
        session.getTransactionManager().enlistPrepare(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                throw new AppUsersError(Response.Status.FORBIDDEN, ErrorCodes.FORBIDDEN, description);
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }
}
