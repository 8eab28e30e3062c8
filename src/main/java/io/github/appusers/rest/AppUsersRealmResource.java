package io.github.appusers.rest;

import io.github.appusers.account.MeResource;
import io.github.appusers.emailpassword.EmailPasswordResource;
import io.github.appusers.functions.FunctionCallResource;
import jakarta.ws.rs.Path;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** Root of {@code /realms/{realm}/app-users}: mounts each feature's resources. */
public final class AppUsersRealmResource {

    private final KeycloakSession session;
    private final RealmModel realm;

    AppUsersRealmResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @Path("functions")
    public FunctionCallResource functions() {
        return new FunctionCallResource(session, realm);
    }

    @Path("email-password")
    public EmailPasswordResource emailPassword() {
        return new EmailPasswordResource(session, realm);
    }

    @Path("me")
    public MeResource me() {
        return new MeResource(session, realm);
    }
}
