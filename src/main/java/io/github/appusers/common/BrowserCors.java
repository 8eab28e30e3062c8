package io.github.appusers.common;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.cors.Cors;

/**
 * CORS for the user's own endpoints ({@code /realms/{realm}/app-users/me...}, {@code /functions}),
 * so browser apps on another origin can call them with their bearer token. Built on Keycloak's
 * {@link Cors}, the way its userinfo and account endpoints do it: the allowed origins are the
 * token's {@code allowed-origins} (the client's web origins), and a request from any other origin
 * is refused before it does anything.
 */
public final class BrowserCors {

    static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

    private BrowserCors() {
    }

    /**
     * Answer to a preflight. Like Keycloak's own preflights it does not check the origin (the actual
     * request is checked against the token); {@code If-Match} is allowed on top of Keycloak's
     * default headers because conditional custom-data writes send it.
     */
    public static Response preflight(KeycloakSession session) {
        Response answer = Cors.builder().auth().allowedMethods(METHODS).preflight().add(Response.ok());
        // Cors has no per-request list of extra headers; a second field line is read as part of
        // the same list (RFC 9110, 5.3).
        if (session.getContext().getRequestHeaders().getHeaderString(Cors.ORIGIN_HEADER) != null) {
            session.getContext().getHttpResponse().addHeader(Cors.ACCESS_CONTROL_ALLOW_HEADERS, HttpHeaders.IF_MATCH);
        }
        return answer;
    }

    /**
     * For a request whose bearer token verified: CORS headers for an origin among the token's
     * allowed origins (or the server's own); {@code 403 forbidden} for any other origin. Requests
     * without an {@code Origin} header (not from a browser) pass unchanged.
     */
    public static void allowTokenOrigins(AccessToken token) {
        try {
            Cors.builder().exposedHeaders(HttpHeaders.ETAG).checkAllowedOrigins(token).add();
        } catch (ForbiddenException e) {
            throw new AppUsersError(Response.Status.FORBIDDEN, ErrorCodes.FORBIDDEN,
                    "This origin is not a web origin of the token's client");
        }
    }

    /**
     * For a request refused before its token verified: the error may be read from any origin (it
     * tells nothing about a user), so an app sees {@code invalid_token} and can refresh.
     */
    public static void allowAnyOriginForError() {
        Cors.builder().allowAllOrigins().add();
    }
}
