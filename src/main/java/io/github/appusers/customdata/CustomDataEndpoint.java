package io.github.appusers.customdata;

import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.common.FlowEvent;
import io.github.appusers.common.JsonBodies;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** The HTTP side shared by the user's and the admin's custom-data resources: bodies, ETag, events. */
final class CustomDataEndpoint {

    /** Bodies are read with a cap above any allowed document, so the limit answers 413 with our error. */
    private static final int READ_CAP = 1024 * 1024 + 1024;

    private final KeycloakSession session;
    private final RealmModel realm;

    CustomDataEndpoint(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    Response get(UserModel user) {
        return ok(new CustomDataService(session, realm).read(user));
    }

    /** Replaces the document once {@code allowed} has passed; every outcome is an event. */
    Response put(UserModel user, InputStream body, String by, Runnable allowed) {
        return ok(event(user, by).record(() -> {
            allowed.run();
            JsonNode json = JsonBodies.readJson(body, READ_CAP);
            return new CustomDataService(session, realm).put(user, json, ifMatch());
        }));
    }

    /** Merges a patch into the document once {@code allowed} has passed; every outcome is an event. */
    Response patch(UserModel user, InputStream body, String by, Runnable allowed) {
        return ok(event(user, by).record(() -> {
            allowed.run();
            JsonNode json = JsonBodies.readJson(body, READ_CAP);
            return new CustomDataService(session, realm).patch(user, json, ifMatch());
        }));
    }

    private String ifMatch() {
        return session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.IF_MATCH);
    }

    private FlowEvent event(UserModel user, String by) {
        return FlowEvent.start(session, realm, EventType.UPDATE_PROFILE, "custom-data").user(user).detail("changed_by", by);
    }

    private static Response ok(CustomDataStore.Document document) {
        return Response.ok(document.data(), MediaType.APPLICATION_JSON_TYPE)
                .tag(new EntityTag("v" + document.version()))
                .build();
    }
}
