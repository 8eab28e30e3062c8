package io.github.appusers.anonymous;

import io.github.appusers.common.AppUsersEvents;
import io.github.appusers.identity.AnonymousUsers;
import io.github.appusers.identity.IdentityStore;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Reacts to Keycloak's events for anonymous users: activity (logins, token refreshes) keeps them
 * from being purged, with {@code delete_on_logout} a logout deletes them, and an admin change that
 * would give a guest an admin role is refused ({@link AdminRoleChange}).
 */
final class AnonymousEventListener implements EventListenerProvider {

    /** Activity is recorded at most this often per user, so refreshes rarely write. */
    private static final long ACTIVITY_RESOLUTION_MILLIS = 60_000;

    private final KeycloakSession session;

    AnonymousEventListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        EventType type = event.getType();
        if (event.getUserId() == null
                || (type != EventType.LOGOUT && type != EventType.REFRESH_TOKEN && type != EventType.LOGIN)) {
            return;
        }
        if (type == EventType.LOGIN && AppUsersEvents.isOurs(event)) {
            return; // our grants record the login on the identity they used
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (realm == null) {
            return;
        }
        AppUsersSettings.Anonymous settings = SettingsStore.read(realm).anonymous;
        if (!settings.enabled) {
            return;
        }
        UserModel user = session.users().getUserById(realm, event.getUserId());
        if (user == null) {
            return;
        }
        if (type == EventType.LOGOUT) {
            if (settings.deleteOnLogout && AnonymousUsers.isAnonymous(session, realm, user)) {
                deleteAfterLogout(realm.getId(), user.getId());
            }
        } else {
            new IdentityStore(session).touchAnonymous(user, ACTIVITY_RESOLUTION_MILLIS);
        }
    }

    /** After the logout's own transaction commits, so the logout never sees a half-deleted user. */
    private void deleteAfterLogout(String realmId, String userId) {
        var factory = session.getKeycloakSessionFactory();
        session.getTransactionManager().enlistAfterCompletion(new org.keycloak.models.AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                KeycloakModelUtils.runJobInTransaction(factory, s -> {
                    RealmModel realm = s.realms().getRealm(realmId);
                    if (realm == null) {
                        return;
                    }
                    s.getContext().setRealm(realm);
                    UserModel user = s.users().getUserById(realm, userId);
                    if (user != null) {
                        new UserManager(s).removeUser(realm, user);
                    }
                });
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }

    /**
     * Admin changes that could hand an anonymous user an admin role: role mappings and group
     * memberships of users, role mappings of groups, composites of roles, default roles and groups.
     * Removals never grant anything.
     */
    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        ResourceType type = event.getResourceType();
        if (type == null || event.getOperationType() == OperationType.DELETE || event.getResourcePath() == null) {
            return;
        }
        if (type != ResourceType.REALM_ROLE_MAPPING && type != ResourceType.CLIENT_ROLE_MAPPING
                && type != ResourceType.GROUP_MEMBERSHIP && type != ResourceType.REALM_ROLE
                && type != ResourceType.CLIENT_ROLE && type != ResourceType.GROUP && type != ResourceType.REALM) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (realm == null) {
            return;
        }
        String refusal = new AdminRoleChange(session, realm, event.getResourcePath()).refusal();
        if (refusal != null) {
            AnonymousAdminRoles.refuseAtCommit(session, refusal);
        }
    }

    @Override
    public void close() {
    }
}
