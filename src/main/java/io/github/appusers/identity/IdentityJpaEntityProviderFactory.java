package io.github.appusers.identity;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** The tables of keycloak-app-users (one changelog for all features, one table per concern). */
public class IdentityJpaEntityProviderFactory implements JpaEntityProviderFactory {

    public static final String PROVIDER_ID = "app-users-entities";

    private static final JpaEntityProvider PROVIDER = new IdentityJpaEntityProvider();

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return PROVIDER;
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
        return PROVIDER_ID;
    }
}
