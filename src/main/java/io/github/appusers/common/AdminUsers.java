package io.github.appusers.common;

import org.keycloak.models.AdminRoles;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

/**
 * Users whose power makes self-service shortcuts (API keys, account deletion, password reset by
 * email) too dangerous: holders of an admin role of Keycloak ({@code realm-management} client
 * roles, the master realm's admin roles), directly, through a composite or a group, and holders of
 * the realm's own role named {@code admin}, which apps commonly use for their administrators.
 */
public final class AdminUsers {

    private AdminUsers() {
    }

    public static boolean holdsAdminRole(RealmModel realm, UserModel user) {
        if (user.getRoleMappingsStream().anyMatch(AdminRoles::isAdminRoleOrComposite)
                || user.getGroupsStream().anyMatch(AdminRoles::groupHasAdminRoles)) {
            return true;
        }
        RoleModel realmAdmin = realm.getRole(AdminRoles.ADMIN);
        return realmAdmin != null && user.hasRole(realmAdmin);
    }
}
