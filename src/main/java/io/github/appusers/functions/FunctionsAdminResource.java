package io.github.appusers.functions;

import java.io.InputStream;
import java.util.List;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.JsonBodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** {@code /admin/realms/{realm}/app-users/functions}: the realm's functions; secrets are write-only. */
public final class FunctionsAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    public FunctionsAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
            AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<FunctionDefinition> list() {
        auth.realm().requireViewRealm();
        return new FunctionRegistry(session, realm).list().stream().map(FunctionDefinition::withoutSecret).toList();
    }

    @GET
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public FunctionDefinition get(@PathParam("name") String name) {
        auth.realm().requireViewRealm();
        return new FunctionRegistry(session, realm).find(name).map(FunctionDefinition::withoutSecret)
                .orElseThrow(() -> AppUsersError.notFound("No function named so"));
    }

    @PUT
    @Path("{name}")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public FunctionDefinition put(@PathParam("name") String name, InputStream body) {
        auth.realm().requireManageRealm();
        var request = JsonBodies.readObject(body, JsonBodies.DEFAULT_MAX_BYTES);
        FunctionDefinition saved;
        try {
            saved = new FunctionRegistry(session, realm).put(name, request);
        } catch (FunctionRegistry.InvalidFunctionException e) {
            throw AppUsersError.invalidRequest(e.getMessage());
        }
        FunctionsConsoleTab.refresh(session, realm, true);
        FunctionDefinition view = saved.withoutSecret();
        adminEvent.operation(OperationType.UPDATE).resource("APP_USERS_FUNCTION")
                .resourcePath(session.getContext().getUri()).representation(view).success();
        return view;
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        auth.realm().requireManageRealm();
        if (!new FunctionRegistry(session, realm).remove(name)) {
            throw AppUsersError.notFound("No function named so");
        }
        FunctionsConsoleTab.refresh(session, realm, false);
        adminEvent.operation(OperationType.DELETE).resource("APP_USERS_FUNCTION")
                .resourcePath(session.getContext().getUri()).success();
        return Response.noContent().build();
    }
}
