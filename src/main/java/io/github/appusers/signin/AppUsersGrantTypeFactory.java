package io.github.appusers.signin;

import java.util.function.Supplier;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

/**
 * The factory of one of our grants. Keycloak looks a grant up by its {@code grant_type} value (the
 * factory id) and encodes the two-character shortcut, unique among all grants, into token ids.
 */
public abstract class AppUsersGrantTypeFactory implements OAuth2GrantTypeFactory {

    private final String grantType;
    private final String shortcut;
    private final Supplier<OAuth2GrantType> grant;

    protected AppUsersGrantTypeFactory(String grantType, String shortcut, Supplier<OAuth2GrantType> grant) {
        this.grantType = grantType;
        this.shortcut = shortcut;
        this.grant = grant;
    }

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return grant.get();
    }

    @Override
    public String getShortcut() {
        return shortcut;
    }

    @Override
    public String getId() {
        return grantType;
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
}
