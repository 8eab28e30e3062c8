package io.github.appusers.settings;

import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.JsonBodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** {@code /admin/realms/{realm}/app-users/settings}: realm configuration, read with view-realm, written with manage-realm. */
public final class SettingsResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    public SettingsResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
            AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode get() {
        auth.realm().requireViewRealm();
        return SettingsCodec.toPublicJson(SettingsStore.effective(realm, SettingsStore.readWithSecrets(session, realm)));
    }

    @PUT
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode put(InputStream body) {
        auth.realm().requireManageRealm();
        JsonNode patch = JsonBodies.readObject(body, JsonBodies.DEFAULT_MAX_BYTES);
        AppUsersSettings updated;
        try {
            updated = SettingsStore.update(session, realm, patch, true);
        } catch (SettingsCodec.InvalidSettingsException e) {
            throw AppUsersError.invalidRequest(e.getMessage());
        }
        SettingsConsoleTab.refresh(session, realm, true);
        ObjectNode result = SettingsCodec.toPublicJson(SettingsStore.effective(realm, updated));
        adminEvent.operation(OperationType.UPDATE)
                .resource("APP_USERS_SETTINGS")
                .resourcePath(session.getContext().getUri())
                .representation(result)
                .success();
        return result;
    }
}
