package io.github.appusers.customtoken;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

public class CustomTokenGrantTypeFactory implements OAuth2GrantTypeFactory {

    /** Keycloak looks grants up by their grant_type value. */
    public static final String GRANT_TYPE = "urn:app-users:grant-type:custom-token";

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new CustomTokenGrantType();
    }

    /** Two characters, unique among grants: Keycloak encodes it into token ids. */
    @Override
    public String getShortcut() {
        return "Xt";
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
