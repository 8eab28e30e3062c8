package io.github.appusers.common;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.utils.KeycloakSessionUtil;

/**
 * The one error type of our REST endpoints. JAX-RS renders the response it carries, so every
 * error leaves as {@code {"error": ..., "error_description": ...}} with a fitting status.
 */
public final class AppUsersError extends WebApplicationException {

    private final String error;

    public AppUsersError(Response.Status status, String error, String description) {
        this(status.getStatusCode(), error, description);
    }

    public AppUsersError(int status, String error, String description) {
        this(Response.status(status), error, description);
    }

    private AppUsersError(Response.ResponseBuilder response, String error, String description) {
        super(description, response
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(error, description))
                .build());
        this.error = error;
        rollBackTheRequest();
    }

    /**
     * A refused request changes nothing. An exception that carries its response goes out without
     * Keycloak's error handler, which is what would roll the request's transaction back; so the
     * refusal does it. Work that must outlive a refusal (error events, a loser's clean-up) runs in
     * transactions of its own.
     */
    static void rollBackTheRequest() {
        KeycloakSession session = KeycloakSessionUtil.getKeycloakSession();
        if (session != null && session.getTransactionManager().isActive()) {
            session.getTransactionManager().setRollbackOnly();
        }
    }

    /** The snake_case code, e.g. {@code invalid_request}. */
    public String error() {
        return error;
    }

    public static AppUsersError invalidRequest(String description) {
        return new AppUsersError(Response.Status.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, description);
    }

    public static AppUsersError notFound(String description) {
        return new AppUsersError(Response.Status.NOT_FOUND, ErrorCodes.NOT_FOUND, description);
    }

    public static AppUsersError conflict(String error, String description) {
        return new AppUsersError(Response.Status.CONFLICT, error, description);
    }

    /** {@code 429 rate_limited} with {@code Retry-After}: the seconds until the next request would pass. */
    public static AppUsersError rateLimited(String description, long retryAfterSeconds) {
        return new AppUsersError(Response.status(429).header("Retry-After", Math.max(1, retryAfterSeconds)),
                ErrorCodes.RATE_LIMITED, description);
    }

    public static AppUsersError featureDisabled(String feature) {
        return new AppUsersError(Response.Status.FORBIDDEN, ErrorCodes.FEATURE_DISABLED,
                feature + " is not enabled in this realm");
    }
}
