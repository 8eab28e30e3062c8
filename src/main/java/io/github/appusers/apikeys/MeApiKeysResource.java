package io.github.appusers.apikeys;

import java.io.InputStream;
import java.util.List;

import io.github.appusers.identity.AnonymousUsers;
import io.github.appusers.common.AdminUsers;
import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.BearerUser;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.common.FlowEvent;
import io.github.appusers.common.JsonBodies;
import io.github.appusers.signin.RecentLogin;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * {@code /realms/{realm}/app-users/me/api-keys}: a user's own keys. Not for anonymous users, not
 * for users holding admin roles (a key would be a lasting way in with their power), and creating
 * one needs a recent login that no API key started.
 */
public final class MeApiKeysResource {

    static final String API_KEY_ID = "api_key_id";

    private final KeycloakSession session;
    private final RealmModel realm;

    public MeApiKeysResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    private UserModel caller() {
        return caller(BearerUser.authenticate(session, realm));
    }

    private UserModel caller(BearerUser bearer) {
        bearer.requirePerson("have API keys");
        UserModel user = bearer.user();
        if (!SettingsStore.read(realm).apiKeys.enabled) {
            throw AppUsersError.featureDisabled("API keys");
        }
        if (AnonymousUsers.isAnonymous(session, realm, user)) {
            throw new AppUsersError(403, ErrorCodes.FORBIDDEN, "Anonymous users cannot have API keys; link an identity first");
        }
        return user;
    }

    @POST
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        BearerUser bearer = BearerUser.authenticate(session, realm);
        FlowEvent event = event(bearer, EventType.UPDATE_CREDENTIAL, "api-key-create");
        ApiKeyRepresentation view = event.record(() -> {
            UserModel user = caller(bearer);
            if (AdminUsers.holdsAdminRole(realm, user)) {
                throw new AppUsersError(403, ErrorCodes.FORBIDDEN, "Users with admin roles cannot have API keys");
            }
            RecentLogin.require(bearer, SettingsStore.read(realm).recentLoginSeconds);
            String name = ApiKeyRequests.name(body);
            AppUsersSettings.ApiKeys settings = SettingsStore.read(realm).apiKeys;
            ApiKeyStore keys = new ApiKeyStore(session);
            if (keys.countOfUser(user) >= settings.maxPerUser) {
                throw AppUsersError.conflict("key_limit_reached", "A user may have at most " + settings.maxPerUser
                        + " API keys; delete one first");
            }
            ApiKeyStore.Created created = keys.create(realm, user, name, false);
            event.detail(API_KEY_ID, created.key().getId());
            ApiKeyRepresentation representation = ApiKeyRepresentation.of(created.key());
            representation.key = created.value();
            return representation;
        });
        return Response.status(Response.Status.CREATED).entity(view).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<ApiKeyRepresentation> list() {
        return new ApiKeyStore(session).ofUser(caller()).stream().map(ApiKeyRepresentation::of).toList();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public ApiKeyRepresentation get(@PathParam("id") String id) {
        return ApiKeyRepresentation.of(own(caller(), id));
    }

    @POST
    @Path("{id}/enable")
    @Produces(MediaType.APPLICATION_JSON)
    public ApiKeyRepresentation enable(@PathParam("id") String id) {
        return changeEnabled(id, true);
    }

    @POST
    @Path("{id}/disable")
    @Produces(MediaType.APPLICATION_JSON)
    public ApiKeyRepresentation disable(@PathParam("id") String id) {
        return changeEnabled(id, false);
    }

    private ApiKeyRepresentation changeEnabled(String id, boolean enabled) {
        BearerUser bearer = BearerUser.authenticate(session, realm);
        return event(bearer, EventType.UPDATE_CREDENTIAL, enabled ? "api-key-enable" : "api-key-disable")
                .detail(API_KEY_ID, FlowEvent.requestValue(id))
                .record(() -> {
                    ApiKeyEntity key = own(caller(bearer), id);
                    if (enabled) {
                        // Turning a key back on is as strong as making one (e.g. after a reset disabled it).
                        RecentLogin.require(bearer, SettingsStore.read(realm).recentLoginSeconds);
                    }
                    key.setEnabled(enabled);
                    return ApiKeyRepresentation.of(key);
                });
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        BearerUser bearer = BearerUser.authenticate(session, realm);
        return event(bearer, EventType.REMOVE_CREDENTIAL, "api-key-delete")
                .detail(API_KEY_ID, FlowEvent.requestValue(id))
                .record(() -> {
                    new ApiKeyStore(session).delete(own(caller(bearer), id));
                    return Response.noContent().build();
                });
    }

    /** API keys are credentials: Keycloak's credential events, told apart by our flow detail. */
    private FlowEvent event(BearerUser bearer, EventType type, String flow) {
        return FlowEvent.start(session, realm, type, flow).user(bearer.user()).client(bearer.authResult().client())
                .detail(Details.CREDENTIAL_TYPE, ProviderTypes.API_KEY);
    }

    private ApiKeyEntity own(UserModel user, String id) {
        return new ApiKeyStore(session).find(realm, id)
                .filter(key -> !key.isServer() && key.getUserId().equals(user.getId()))
                .orElseThrow(() -> AppUsersError.notFound("No such API key"));
    }
}
