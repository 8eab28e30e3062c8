package io.github.appusers.common;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * The JPA entities of one feature, registered by the feature itself. The tables' Liquibase
 * changelog is not here: one provider ({@code setup.AppUsersSchema}) runs it for all features,
 * because Keycloak keeps the record of applied changes per provider, and moving changes between
 * providers would replay them on existing databases.
 */
public abstract class FeatureEntities implements JpaEntityProviderFactory {

    private final String id;
    private final JpaEntityProvider provider;

    protected FeatureEntities(String id, String changelog, Class<?>... entities) {
        this.id = id;
        List<Class<?>> classes = List.of(entities);
        this.provider = new JpaEntityProvider() {
            @Override
            public List<Class<?>> getEntities() {
                return classes;
            }

            @Override
            public String getChangelogLocation() {
                return changelog;
            }

            @Override
            public String getFactoryId() {
                return id;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return provider;
    }

    @Override
    public String getId() {
        return id;
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
