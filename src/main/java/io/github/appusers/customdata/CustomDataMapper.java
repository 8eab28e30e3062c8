package io.github.appusers.customdata;

import io.github.appusers.common.ClaimMapper;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.IDToken;

/**
 * The claim {@code custom_data}: the user's custom data document, omitted when empty. One lookup by
 * primary key per token; a refresh picks up changes.
 */
public class CustomDataMapper extends ClaimMapper {

    public static final String PROVIDER_ID = "app-users-custom-data-mapper";
    public static final String CLAIM = "custom_data";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "App users: custom_data";
    }

    @Override
    public String getHelpText() {
        return "Adds the claim 'custom_data': the user's custom data document (omitted when empty).";
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        CustomDataStore.Document document = new CustomDataStore(session).read(userSession.getUser());
        if (!document.isEmpty()) {
            token.getOtherClaims().put(CLAIM, document.data());
        }
    }

    /** The mapper as the {@code app-users} client scope holds it: access and ID tokens, userinfo, introspection. */
    @Override
    public ProtocolMapperModel scopeModel() {
        return model(PROVIDER_ID, CLAIM, true);
    }
}
