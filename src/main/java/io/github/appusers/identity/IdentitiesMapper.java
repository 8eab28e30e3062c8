package io.github.appusers.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.appusers.common.ClaimMapper;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.IDToken;

/** The claim {@code identities}: the user's identities, in ID tokens and userinfo (access tokens optional). */
public class IdentitiesMapper extends ClaimMapper {

    public static final String PROVIDER_ID = "app-users-identities-mapper";
    public static final String CLAIM = "identities";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "App users: identities";
    }

    @Override
    public String getHelpText() {
        return "Adds the claim 'identities': the user's identities as [{provider_type, id}].";
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        List<Map<String, String>> identities = new ArrayList<>();
        for (Identity identity : new IdentityStore(session).list(userSession.getRealm(), userSession.getUser())) {
            identities.add(Map.of("provider_type", identity.providerType, "id", identity.id));
        }
        token.getOtherClaims().put(CLAIM, identities);
    }

    /** The mapper as the {@code app-users} client scope holds it: ID token, userinfo, introspection. */
    @Override
    public ProtocolMapperModel scopeModel() {
        return model(PROVIDER_ID, CLAIM, false);
    }
}
