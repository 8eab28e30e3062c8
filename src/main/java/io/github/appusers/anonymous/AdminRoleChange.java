package io.github.appusers.anonymous;

import java.util.stream.Stream;
import io.github.appusers.identity.AnonymousUsers;

import io.github.appusers.settings.SettingsStore;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

/**
 * Reads one admin change by its resource path (as Keycloak's admin events name it, see
 * {@link AdminResourcePath}) and says whether it gives an anonymous user an admin role.
 */
final class AdminRoleChange {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminResourcePath path;

    AdminRoleChange(KeycloakSession session, RealmModel realm, String resourcePath) {
        this.session = session;
        this.realm = realm;
        this.path = AdminResourcePath.parse(resourcePath);
    }

    /** A description of why the change is refused, or null when it is fine. */
    String refusal() {
        switch (path.kind()) {
            case USER:
                UserModel user = session.users().getUserById(realm, path.id());
                if (user != null && AnonymousAdminRoles.holdsAdminRole(user)
                        && AnonymousUsers.isAnonymous(session, realm, user)) {
                    return "user " + user.getId() + " is anonymous; anonymous users cannot hold admin roles "
                            + "(upgrade it by linking a permanent identity first)";
                }
                return null;
            case GROUP:
                GroupModel group = session.groups().getGroupById(realm, path.id());
                if (group != null && AdminRoles.groupHasAdminRoles(group) && hasAnonymousMember(group)) {
                    return "group " + group.getName() + " has anonymous members; anonymous users cannot hold admin roles";
                }
                return defaultsRefusal();
            case REALM_ROLE, ROLE_BY_ID, CLIENT_ROLE, CLIENT:
                RoleModel role = role();
                if (role != null && !role.equals(realm.getDefaultRole()) && AdminRoles.isAdminRoleOrComposite(role)
                        && anyAnonymous(session.users().getRoleMembersStream(realm, role))) {
                    return "role " + role.getName() + " is held by anonymous users; anonymous users cannot hold admin roles";
                }
                return defaultsRefusal();
            case DEFAULT_GROUP:
                return defaultsRefusal();
            default:
                return null;
        }
    }

    /** The realm's defaults are checked only where anonymous sign-up is on: every new guest gets them. */
    private String defaultsRefusal() {
        if (SettingsStore.read(realm).anonymous.enabled && AnonymousAdminRoles.defaultsGrantAdminRole(realm)) {
            return "anonymous sign-up is enabled and the realm's default roles or groups would then include admin "
                    + "roles; anonymous users cannot hold admin roles";
        }
        return null;
    }

    private RoleModel role() {
        switch (path.kind()) {
            case ROLE_BY_ID:
                return realm.getRoleById(path.id());
            case REALM_ROLE:
                return realm.getRole(path.id());
            case CLIENT_ROLE:
                ClientModel client = realm.getClientById(path.id());
                return client == null ? null : client.getRole(path.roleName());
            default:
                return null;
        }
    }

    /** Members of the group and of its subgroups, who inherit its roles. */
    private boolean hasAnonymousMember(GroupModel group) {
        return anyAnonymous(session.users().getGroupMembersStream(realm, group))
                || group.getSubGroupsStream().anyMatch(this::hasAnonymousMember);
    }

    private boolean anyAnonymous(Stream<UserModel> users) {
        return users.anyMatch(user -> AnonymousUsers.isAnonymous(session, realm, user));
    }
}
