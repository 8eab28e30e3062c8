package io.github.appusers.anonymous;

import io.github.appusers.common.ClaimMapper;
import io.github.appusers.identity.AnonymousUsers;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.IDToken;

/** Puts the boolean claim {@code is_anonymous} into every token of the realm (docs/anonymous.md). */
public class IsAnonymousMapper extends ClaimMapper {

    public static final String PROVIDER_ID = "app-users-is-anonymous-mapper";
    public static final String CLAIM = "is_anonymous";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "App users: is_anonymous";
    }

    @Override
    public String getHelpText() {
        return "Adds the boolean claim 'is_anonymous': true for guest users that have no permanent identity yet.";
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        token.getOtherClaims().put(CLAIM,
                AnonymousUsers.isAnonymous(session, userSession.getRealm(), userSession.getUser()));
    }

    /** The mapper as the {@code app-users} client scope holds it: in every kind of token. */
    @Override
    public ProtocolMapperModel scopeModel() {
        return model(PROVIDER_ID, CLAIM, true);
    }
}
