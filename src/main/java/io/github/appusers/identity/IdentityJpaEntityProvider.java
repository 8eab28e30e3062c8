package io.github.appusers.identity;

import java.util.List;

import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;

/** Registers our JPA entities and the Liquibase changelog that creates their tables. */
final class IdentityJpaEntityProvider implements JpaEntityProvider {

    @Override
    public List<Class<?>> getEntities() {
        return List.of(IdentityEntity.class, io.github.appusers.emailpassword.EmailTokenEntity.class,
                io.github.appusers.customdata.CustomDataEntity.class, io.github.appusers.apikeys.ApiKeyEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/app-users-changelog-master.xml";
    }

    @Override
    public String getFactoryId() {
        return IdentityJpaEntityProviderFactory.PROVIDER_ID;
    }

    @Override
    public void close() {
    }
}
