package io.github.appusers.identity;

import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.common.JsonBodies;
import io.github.appusers.common.RequestFields;
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
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/app-users/users/{id}/identities}: an admin lists, attaches and
 * removes a user's identities. Attaching is for identities that need no credential to be proven
 * here (custom-function and custom-token ids), e.g. when moving users over from another system.
 */
public final class UserIdentitiesAdminResource {

    /** Only these may be attached by hand; the others are created by their own flows. */
    private static final Set<String> ATTACHABLE = Set.of(ProviderTypes.CUSTOM_FUNCTION, ProviderTypes.CUSTOM_TOKEN);
    private static final int MAX_ID_LENGTH = 255;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final UserModel user;

    public UserIdentitiesAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
            AdminEventBuilder adminEvent, UserModel user) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
        this.user = user;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Identity> list() {
        auth.users().requireView(user);
        return new IdentityStore(session).list(realm, user);
    }

    @POST
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response attach(InputStream body) {
        auth.users().requireManage(user);
        ObjectNode request = JsonBodies.readObject(body, JsonBodies.DEFAULT_MAX_BYTES);
        String type = RequestFields.requiredText(request, "provider_type", JsonBodies.DEFAULT_MAX_BYTES);
        String id = RequestFields.requiredText(request, "id", JsonBodies.DEFAULT_MAX_BYTES);
        if (!ATTACHABLE.contains(type)) {
            throw AppUsersError.invalidRequest("provider_type must be one of " + ATTACHABLE);
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw AppUsersError.invalidRequest("id is longer than " + MAX_ID_LENGTH + " characters");
        }
        IdentityEntity added;
        try {
            added = new IdentityStore(session).add(realm, user, type, id);
        } catch (IdentityStore.IdentityInUseException e) {
            throw AppUsersError.conflict(ErrorCodes.IDENTITY_IN_USE, "This identity belongs to a user already");
        }
        Identity identity = Identity.of(added);
        adminEvent.operation(OperationType.CREATE).resource("APP_USERS_IDENTITY")
                .resourcePath(session.getContext().getUri()).representation(identity).success();
        URI location = session.getContext().getUri().getAbsolutePathBuilder().path(type).path(id).build();
        return Response.created(location).entity(identity).build();
    }

    @DELETE
    @Path("{providerType}/{providerId}")
    public Response remove(@PathParam("providerType") String providerType, @PathParam("providerId") String providerId) {
        auth.users().requireManage(user);
        if (!new IdentityStore(session).remove(realm, user, providerType, providerId)) {
            throw AppUsersError.notFound("The user has no such identity");
        }
        adminEvent.operation(OperationType.DELETE).resource("APP_USERS_IDENTITY")
                .resourcePath(session.getContext().getUri()).success();
        return Response.noContent().build();
    }
}
