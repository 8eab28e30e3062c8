package io.github.appusers.rest;

import io.github.appusers.account.MeResource;
import io.github.appusers.emailpassword.EmailPasswordResource;
import io.github.appusers.functions.FunctionCallResource;
import jakarta.ws.rs.HttpMethod;
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
    @ServedBy({FunctionCallResource.class, CorsPreflightResource.class})
    public Object functions() {
        return preflightOr(new FunctionCallResource(session, realm));
    }

    @Path("email-password")
    public EmailPasswordResource emailPassword() {
        return new EmailPasswordResource(session, realm);
    }

    @Path("me")
    @ServedBy({MeResource.class, CorsPreflightResource.class})
    public Object me() {
        return preflightOr(new MeResource(session, realm));
    }

    /**
     * The resource, or for a CORS preflight ({@code OPTIONS}) the resource that answers it: JAX-RS
     * picks the sub-resource locator for every method of a path, so the preflight is decided here.
     */
    private Object preflightOr(Object resource) {
        return HttpMethod.OPTIONS.equals(session.getContext().getHttpRequest().getHttpMethod())
                ? new CorsPreflightResource(session)
                : resource;
    }
}
