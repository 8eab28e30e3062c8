package io.github.appusers.common;

import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/** The user behind the request's bearer access token, verified by Keycloak itself. */
public final class BearerUser {

    private final AuthResult auth;

    private BearerUser(AuthResult auth) {
        this.auth = auth;
    }

    /**
     * Verifies the bearer token (signature, expiry, active session); 401 {@code invalid_token}
     * otherwise. Browser requests get CORS headers for the token's allowed origins (see
     * {@link BrowserCors}).
     */
    public static BearerUser authenticate(KeycloakSession session, RealmModel realm) {
        AuthResult result;
        try {
            result = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(realm).authenticate();
        } catch (NotAuthorizedException e) {
            // Keycloak's authenticator throws for another scheme (e.g. Basic); answer in our shape.
            throw unauthorized();
        }
        if (result == null || result.user() == null) {
            BrowserCors.allowAnyOriginForError();
            throw unauthorized();
        }
        BrowserCors.allowTokenOrigins(result.token());
        return new BearerUser(result);
    }

    private static AppUsersError unauthorized() {
        return new AppUsersError(Response.Status.UNAUTHORIZED, ErrorCodes.INVALID_TOKEN,
                "A valid bearer access token is required");
    }

    public UserModel user() {
        return auth.user();
    }

    /**
     * {@code 403 forbidden} for a client's service account: its token comes from a client secret,
     * not from a person signing in, so it never counts as a recent login and gets no self-service
     * that outlives the secret (API keys, identities, deleting itself).
     */
    public void requirePerson(String what) {
        if (auth.user().getServiceAccountClientLink() != null) {
            throw new AppUsersError(Response.Status.FORBIDDEN, ErrorCodes.FORBIDDEN,
                    "A client's service account cannot " + what);
        }
    }

    public AccessToken token() {
        return auth.token();
    }

    public AuthResult authResult() {
        return auth;
    }
}
