package io.github.appusers.customdata;

import java.io.InputStream;

import io.github.appusers.common.JsonBodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** {@code /admin/realms/{realm}/app-users/users/{id}/custom-data}: any user's document. */
public final class UserCustomDataAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final UserModel user;

    public UserCustomDataAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
            AdminEventBuilder adminEvent, UserModel user) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
        this.user = user;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        auth.users().requireView(user);
        return new CustomDataEndpoint(session, realm).get(user);
    }

    @PUT
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(InputStream body) {
        auth.users().requireManage(user);
        Response response = new CustomDataEndpoint(session, realm).put(user, body, "admin", () -> { });
        audit();
        return response;
    }

    @PATCH
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response patch(InputStream body) {
        auth.users().requireManage(user);
        Response response = new CustomDataEndpoint(session, realm).patch(user, body, "admin", () -> { });
        audit();
        return response;
    }

    private void audit() {
        adminEvent.operation(OperationType.UPDATE).resource("APP_USERS_CUSTOM_DATA")
                .resourcePath(session.getContext().getUri()).success();
    }
}
