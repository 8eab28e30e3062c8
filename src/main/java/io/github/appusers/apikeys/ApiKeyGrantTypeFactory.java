package io.github.appusers.apikeys;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

public class ApiKeyGrantTypeFactory implements OAuth2GrantTypeFactory {

    /** Keycloak looks grants up by their grant_type value. */
    public static final String GRANT_TYPE = "urn:app-users:grant-type:api-key";

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new ApiKeyGrantType();
    }

    /** Two characters, unique among grants: Keycloak encodes it into token ids. */
    @Override
    public String getShortcut() {
        return "Xk";
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return GRANT_TYPE;
    }
}
