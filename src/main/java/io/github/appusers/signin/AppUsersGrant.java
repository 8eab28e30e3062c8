package io.github.appusers.signin;

import io.github.appusers.common.AppUsersEvents;
import io.github.appusers.common.AppUsersMetrics;
import io.github.appusers.common.ErrorBody;
import io.github.appusers.common.ErrorCodes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeBase;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

/**
 * Shared end of our token grants: once a grant knows its user, it logs the user in the way
 * Keycloak's own grants do (authentication session, persistent user session with auth_time,
 * client session with the requested scopes, TokenManager, CORS, event).
 */
public abstract class AppUsersGrant extends OAuth2GrantTypeBase {

    /** Logs {@code user} in and answers with the standard token response. */
    protected Response loginAs(UserModel user, String flow, String providerType) {
        if (PendingRegistrations.isPending(user)) {
            event.user(user);
            throw error(ErrorCodes.CONFIRMATION_REQUIRED, "Confirm your email address first", Response.Status.BAD_REQUEST,
                    ErrorCodes.CONFIRMATION_REQUIRED);
        }
        event.user(user)
                .detail(Details.USERNAME, user.getUsername())
                .detail(AppUsersEvents.FLOW, flow)
                .detail(AppUsersEvents.PROVIDER_TYPE, providerType);
        String scope = getRequestedScopes();

        RootAuthenticationSessionModel rootAuthSession =
                new AuthenticationSessionManager(session).createAuthenticationSession(realm, false);
        AuthenticationSessionModel authSession = rootAuthSession.createAuthenticationSession(client);
        authSession.setAuthenticatedUser(user);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(OIDCLoginProtocol.ISSUER,
                Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, scope);

        UserSessionModel userSession = new UserSessionManager(session).createUserSession(rootAuthSession.getId(), realm,
                user, user.getUsername(), clientConnection.getRemoteHost(), "app-users-" + flow, false, null, null,
                UserSessionModel.SessionPersistenceState.PERSISTENT);
        // auth_time in the tokens comes from this note; recent-login checks rely on it.
        userSession.setNote(AuthenticationManager.AUTH_TIME, String.valueOf(Time.currentTime()));
        if (!startsRecentLogins()) {
            userSession.setNote(RecentLogin.NEVER_RECENT_NOTE, "true");
        }
        event.session(userSession);

        AuthenticationManager.setClientScopesInSession(session, authSession);
        ClientSessionContext clientSessionCtx = TokenManager.attachAuthenticationSession(session, userSession, authSession);
        updateUserSessionFromClientAuth(userSession);
        Response response = createTokenResponse(user, userSession, clientSessionCtx, scope, true, null);
        AppUsersMetrics.signIn(realm, providerType, AppUsersMetrics.SUCCESS);
        return response;
    }

    /** Whether the sessions this grant starts count as a recent login for sensitive calls. */
    protected boolean startsRecentLogins() {
        return true;
    }

    /**
     * The start of every grant: its request context, its flow and provider type on the event
     * (failures too), and {@code 400 unauthorized_client} for a client that may not use the grant
     * ({@link GrantPermissions}).
     */
    protected void begin(Context context, String flow, String providerType) {
        setContext(context);
        event.detail(AppUsersEvents.FLOW, flow).detail(AppUsersEvents.PROVIDER_TYPE, providerType);
        if (!GrantPermissions.allows(client, context.getGrantType())) {
            throw error(OAuthErrorException.UNAUTHORIZED_CLIENT, "Client '" + client.getClientId()
                    + "' may not use the grant type " + context.getGrantType(), Response.Status.BAD_REQUEST,
                    Errors.NOT_ALLOWED);
        }
    }

    /** {@code 403 feature_disabled}: the realm has the grant's feature off. */
    protected CorsErrorResponseException featureDisabled(String description) {
        return error(ErrorCodes.FEATURE_DISABLED, description, Response.Status.FORBIDDEN, Errors.NOT_ALLOWED);
    }

    /** An OAuth error response from the token endpoint, with CORS headers, after recording the event. */
    protected CorsErrorResponseException error(String error, String description, Response.Status status,
            String eventError) {
        refuse(description, eventError);
        return new CorsErrorResponseException(cors, error, description, status);
    }

    /**
     * A refused sign-in: its event and metric, and nothing of the request written (an error response
     * of ours bypasses Keycloak's error handler, which would roll back; see AppUsersError).
     */
    private void refuse(String description, String eventError) {
        session.getTransactionManager().setRollbackOnly();
        event.detail(Details.REASON, description);
        event.error(eventError);
        AppUsersMetrics.signIn(realm, providerType(), eventError);
    }

    /** The provider type the grant recorded on its event, for the metrics of a refused sign-in. */
    private String providerType() {
        var details = event.getEvent().getDetails();
        return details == null ? null : details.get(AppUsersEvents.PROVIDER_TYPE);
    }

    /** 429 with Retry-After, which CorsErrorResponseException cannot carry. */
    protected Response tooManyRequests(String description, long retryAfterSeconds, String eventError) {
        refuse(description, eventError);
        return cors.add(Response.status(429)
                .header("Retry-After", retryAfterSeconds)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(ErrorCodes.RATE_LIMITED, description)));
    }
}
