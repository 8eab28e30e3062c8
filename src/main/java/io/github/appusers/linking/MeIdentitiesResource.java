package io.github.appusers.linking;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.appusers.common.AppUsersEvents;
import io.github.appusers.common.BearerUser;
import io.github.appusers.signin.RecentLogin;
import io.github.appusers.settings.SettingsStore;
import io.github.appusers.common.FlowEvent;
import io.github.appusers.common.JsonBodies;
import io.github.appusers.identity.Identity;
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
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** {@code /realms/{realm}/app-users/me/identities}: link and unlink (recent login needed). */
public final class MeIdentitiesResource {

    private static final int MAX_BODY_BYTES = 32 * 1024;

    private final KeycloakSession session;
    private final RealmModel realm;

    public MeIdentitiesResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public java.util.List<Identity> list() {
        BearerUser caller = BearerUser.authenticate(session, realm);
        return new io.github.appusers.identity.IdentityStore(session).list(realm, caller.user());
    }

    @POST
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response link(InputStream body) {
        BearerUser caller = BearerUser.authenticate(session, realm);
        FlowEvent event = FlowEvent.start(session, realm, EventType.FEDERATED_IDENTITY_LINK, "link")
                .user(caller.user()).client(caller.authResult().client());
        IdentityLinking.Linked linked = event.record(() -> {
            caller.requirePerson("link identities");
            RecentLogin.require(caller, SettingsStore.read(realm).recentLoginSeconds);
            return new IdentityLinking(session, realm).link(caller.user(), JsonBodies.readObject(body, MAX_BODY_BYTES),
                    event);
        });
        if (linked.pending()) {
            // An email/password link waits for its confirmation; the identity appears then.
            Map<String, String> pending = new LinkedHashMap<>();
            pending.put("provider_type", ProviderTypes.LOCAL_USERPASS);
            pending.put("id", linked.pendingEmail());
            pending.put("status", "pending-confirmation");
            return Response.accepted(pending).type(MediaType.APPLICATION_JSON_TYPE).build();
        }
        return Response.status(Response.Status.CREATED).entity(linked.identity()).type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    @DELETE
    @Path("{providerType}/{providerId}")
    public Response unlink(@PathParam("providerType") String providerType, @PathParam("providerId") String providerId) {
        BearerUser caller = BearerUser.authenticate(session, realm);
        return FlowEvent.start(session, realm, EventType.REMOVE_FEDERATED_IDENTITY, "unlink")
                .user(caller.user()).client(caller.authResult().client())
                .detail(AppUsersEvents.PROVIDER_TYPE, FlowEvent.requestValue(providerType))
                .record(() -> {
                    caller.requirePerson("unlink identities");
                    RecentLogin.require(caller, SettingsStore.read(realm).recentLoginSeconds);
                    new IdentityLinking(session, realm).unlink(caller.user(), providerType, providerId);
                    return Response.noContent().build();
                });
    }
}
