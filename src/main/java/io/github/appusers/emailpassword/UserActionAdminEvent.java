package io.github.appusers.emailpassword;

import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminEventBuilder;

/**
 * An admin event about a change that a user's own request made, where no admin acted (no admin
 * token, so Keycloak's public constructor cannot be used): its auth details name the user, the
 * realm and the client address, with no client. Keycloak's builder then stores and delivers it
 * as any admin event (the realm's admin events switch, its listeners, representation details).
 */
final class UserActionAdminEvent extends AdminEventBuilder {

    private UserActionAdminEvent(KeycloakSession session, RealmModel realm, String ipAddress, AdminEvent seed) {
        super(realm, new AdminAuth(realm, null, null, null), session, ipAddress, seed);
    }

    static AdminEventBuilder of(KeycloakSession session, RealmModel realm, UserModel actor) {
        String ipAddress = session.getContext().getConnection().getRemoteHost();
        AuthDetails auth = new AuthDetails();
        auth.setRealmId(realm.getId());
        auth.setRealmName(realm.getName());
        auth.setUserId(actor.getId());
        auth.setIpAddress(ipAddress);
        AdminEvent seed = new AdminEvent();
        seed.setRealmId(realm.getId());
        seed.setRealmName(realm.getName());
        seed.setAuthDetails(auth);
        return new UserActionAdminEvent(session, realm, ipAddress, seed);
    }
}
