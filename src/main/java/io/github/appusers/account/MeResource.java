package io.github.appusers.account;

import io.github.appusers.identity.AnonymousUsers;
import io.github.appusers.apikeys.MeApiKeysResource;
import io.github.appusers.common.BearerUser;
import io.github.appusers.customdata.CustomDataStore;
import io.github.appusers.customdata.MeCustomDataResource;
import io.github.appusers.identity.IdentityStore;
import io.github.appusers.linking.MeIdentitiesResource;
import io.github.appusers.linking.SelfService;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** {@code /realms/{realm}/app-users/me}: the calling user as the app sees it. */
public final class MeResource {

    private final KeycloakSession session;
    private final RealmModel realm;

    public MeResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    @Path("api-keys")
    public MeApiKeysResource apiKeys() {
        return new MeApiKeysResource(session, realm);
    }

    @Path("custom-data")
    public MeCustomDataResource customData() {
        return new MeCustomDataResource(session, realm);
    }

    @Path("identities")
    public MeIdentitiesResource identities() {
        return new MeIdentitiesResource(session, realm);
    }

    /** Deletes the calling user where the realm and the user's kind allow it (recent login needed). */
    @DELETE
    public Response delete() {
        BearerUser caller = BearerUser.authenticate(session, realm);
        SelfService.deleteAccount(session, realm, caller);
        return Response.noContent().build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public MeRepresentation get() {
        UserModel user = BearerUser.authenticate(session, realm).user();
        IdentityStore identities = new IdentityStore(session);
        MeRepresentation me = new MeRepresentation();
        me.id = user.getId();
        me.isAnonymous = AnonymousUsers.isAnonymous(session, realm, user);
        me.email = user.getEmail();
        me.emailVerified = user.isEmailVerified();
        me.identities = identities.list(realm, user);
        me.customData = new CustomDataStore(session).read(user).data();
        me.createdAt = user.getCreatedTimestamp();
        me.lastLoginAt = identities.lastLoginAt(user);
        return me;
    }
}
