package io.github.appusers.customdata;

import java.io.InputStream;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.BearerUser;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.common.JsonBodies;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** {@code /realms/{realm}/app-users/me/custom-data}: the caller's document; writes where the realm allows. */
public final class MeCustomDataResource {

    private final KeycloakSession session;
    private final RealmModel realm;

    public MeCustomDataResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        return new CustomDataEndpoint(session, realm).get(BearerUser.authenticate(session, realm).user());
    }

    @PUT
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(InputStream body) {
        return new CustomDataEndpoint(session, realm).put(BearerUser.authenticate(session, realm).user(), body, "user",
                this::requireUserWritable);
    }

    @PATCH
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response patch(InputStream body) {
        return new CustomDataEndpoint(session, realm).patch(BearerUser.authenticate(session, realm).user(), body, "user",
                this::requireUserWritable);
    }

    private void requireUserWritable() {
        if (!SettingsStore.read(realm).customData.userWritable) {
            throw new AppUsersError(403, ErrorCodes.FORBIDDEN, "Users may not write their custom data in this realm");
        }
    }
}
