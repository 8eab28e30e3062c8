package io.github.appusers.apikeys;

import java.io.InputStream;
import java.util.List;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.JsonBodies;
import io.github.appusers.identity.IdentityStore;
import io.github.appusers.identity.ProviderTypes;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/app-users/api-keys}: server keys. Each has its own user (username
 * {@code api-key-<id>}, an {@code api-key} identity), created with the key and deleted with it.
 */
public final class ServerApiKeysAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    public ServerApiKeysAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
            AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @POST
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        auth.users().requireManage();
        String name = ApiKeyRequests.name(body);
        UserModel serviceUser = session.users().addUser(realm, "api-key-" + java.util.UUID.randomUUID());
        serviceUser.setEnabled(true);
        serviceUser.setFirstName(name);
        ApiKeyStore.Created created = new ApiKeyStore(session).create(realm, serviceUser, name, true);
        try {
            new IdentityStore(session).add(realm, serviceUser, ProviderTypes.API_KEY, created.key().getId());
        } catch (IdentityStore.IdentityInUseException e) {
            throw new IllegalStateException("a new key id was already in use", e);
        }
        ApiKeyRepresentation view = ApiKeyRepresentation.of(created.key());
        audit(OperationType.CREATE);
        view.key = created.value();
        return Response.status(Response.Status.CREATED).entity(view).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<ApiKeyRepresentation> list() {
        auth.users().requireView();
        return new ApiKeyStore(session).serverKeys(realm).stream().map(ApiKeyRepresentation::of).toList();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public ApiKeyRepresentation get(@PathParam("id") String id) {
        auth.users().requireView();
        return ApiKeyRepresentation.of(serverKey(id));
    }

    @POST
    @Path("{id}/enable")
    @Produces(MediaType.APPLICATION_JSON)
    public ApiKeyRepresentation enable(@PathParam("id") String id) {
        auth.users().requireManage();
        ApiKeyEntity key = serverKey(id);
        key.setEnabled(true);
        audit(OperationType.UPDATE);
        return ApiKeyRepresentation.of(key);
    }

    @POST
    @Path("{id}/disable")
    @Produces(MediaType.APPLICATION_JSON)
    public ApiKeyRepresentation disable(@PathParam("id") String id) {
        auth.users().requireManage();
        ApiKeyEntity key = serverKey(id);
        key.setEnabled(false);
        audit(OperationType.UPDATE);
        return ApiKeyRepresentation.of(key);
    }

    /** Deletes the key with its service user (and so that user's sessions). */
    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        auth.users().requireManage();
        ApiKeyEntity key = serverKey(id);
        UserModel serviceUser = session.users().getUserById(realm, key.getUserId());
        new ApiKeyStore(session).delete(key);
        if (serviceUser != null) {
            new UserManager(session).removeUser(realm, serviceUser);
        }
        audit(OperationType.DELETE);
        return Response.noContent().build();
    }

    private ApiKeyEntity serverKey(String id) {
        return new ApiKeyStore(session).find(realm, id).filter(ApiKeyEntity::isServer)
                .orElseThrow(() -> AppUsersError.notFound("No such server API key"));
    }

    private void audit(OperationType operation) {
        adminEvent.operation(operation).resource("APP_USERS_API_KEY").resourcePath(session.getContext().getUri()).success();
    }
}
