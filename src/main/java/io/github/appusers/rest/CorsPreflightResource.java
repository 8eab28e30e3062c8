package io.github.appusers.rest;

import io.github.appusers.common.BrowserCors;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;

/** Answers CORS preflights for a path and everything below it. */
public final class CorsPreflightResource {

    private final KeycloakSession session;

    CorsPreflightResource(KeycloakSession session) {
        this.session = session;
    }

    @OPTIONS
    public Response preflight() {
        return BrowserCors.preflight(session);
    }

    @OPTIONS
    @Path("{any:.*}")
    public Response preflightBelow() {
        return BrowserCors.preflight(session);
    }
}
