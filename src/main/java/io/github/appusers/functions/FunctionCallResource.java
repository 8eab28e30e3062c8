package io.github.appusers.functions;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.BearerUser;
import io.github.appusers.common.FlowEvent;
import io.github.appusers.common.JsonBodies;
import io.github.appusers.customdata.CustomDataStore;
import io.github.appusers.identity.IdentityStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * {@code POST /realms/{realm}/app-users/functions/{name}}: runs a {@code call} function as the
 * logged-in user. The function receives the verified user and the JSON arguments; its JSON answer
 * is relayed as is.
 */
public final class FunctionCallResource {

    static final int MAX_ARGUMENT_BYTES = 64 * 1024;

    private final KeycloakSession session;
    private final RealmModel realm;

    public FunctionCallResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    @POST
    @Path("{name}")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response call(@PathParam("name") String name, InputStream body) {
        BearerUser caller = BearerUser.authenticate(session, realm);
        UserModel user = caller.user();
        // Keycloak has no event type for this; CUSTOM_REQUIRED_ACTION with our flow detail marks it.
        FlowEvent event = FlowEvent.start(session, realm, EventType.CUSTOM_REQUIRED_ACTION, "function-call")
                .user(user).client(caller.authResult().client()).detail("function", FlowEvent.requestValue(name));
        JsonNode answer = event.record(() -> {
            FunctionDefinition function = new FunctionRegistry(session, realm).find(name, FunctionDefinition.Kind.call)
                    .orElseThrow(() -> AppUsersError.notFound("No function named so"));
            JsonNode arguments = JsonBodies.readJson(body, MAX_ARGUMENT_BYTES);
            Map<String, Object> userView = new LinkedHashMap<>();
            userView.put("id", user.getId());
            userView.put("identities", new IdentityStore(session).list(realm, user));
            userView.put("custom_data", new CustomDataStore(session).read(user).data());
            try {
                return new FunctionClient(session).call(function, Map.of("user", userView, "arguments", arguments));
            } catch (FunctionException e) {
                throw e.toError();
            }
        });
        return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
