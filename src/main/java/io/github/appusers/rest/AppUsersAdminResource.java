package io.github.appusers.rest;

import io.github.appusers.anonymous.AnonymousAdminResource;
import io.github.appusers.apikeys.ServerApiKeysAdminResource;
import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.NulChars;
import io.github.appusers.customdata.UserCustomDataAdminResource;
import io.github.appusers.emailpassword.RegistrationsAdminResource;
import io.github.appusers.emailpassword.UsersAdminResource;
import io.github.appusers.functions.FunctionsAdminResource;
import io.github.appusers.identity.UserIdentitiesAdminResource;
import io.github.appusers.settings.SettingsResource;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Root of {@code /admin/realms/{realm}/app-users}: each sub-resource checks its own permission first. */
public final class AppUsersAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    AppUsersAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
            AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @Path("settings")
    public SettingsResource settings() {
        return new SettingsResource(session, realm, auth, adminEvent);
    }

    @Path("functions")
    public FunctionsAdminResource functions() {
        return new FunctionsAdminResource(session, realm, auth, adminEvent);
    }

    @Path("users")
    public UsersAdminResource users() {
        return new UsersAdminResource(session, realm, auth);
    }

    @Path("registrations")
    public RegistrationsAdminResource registrations() {
        return new RegistrationsAdminResource(session, realm, auth, adminEvent);
    }

    @Path("api-keys")
    public ServerApiKeysAdminResource apiKeys() {
        return new ServerApiKeysAdminResource(session, realm, auth, adminEvent);
    }

    @Path("anonymous")
    public AnonymousAdminResource anonymous() {
        return new AnonymousAdminResource(session, realm, auth, adminEvent);
    }

    @Path("users/{userId}/custom-data")
    public UserCustomDataAdminResource customData(@PathParam("userId") String userId) {
        return new UserCustomDataAdminResource(session, realm, auth, adminEvent, user(userId));
    }

    @Path("users/{userId}/identities")
    public UserIdentitiesAdminResource identities(@PathParam("userId") String userId) {
        return new UserIdentitiesAdminResource(session, realm, auth, adminEvent, user(userId));
    }

    /** The user of a per-user sub-resource; reading any user needs view-users first. */
    private UserModel user(String userId) {
        auth.users().requireView();
        UserModel user = NulChars.in(userId) ? null : session.users().getUserById(realm, userId);
        if (user == null) {
            throw AppUsersError.notFound("No such user");
        }
        return user;
    }
}
