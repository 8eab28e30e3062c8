package io.github.appusers.rest;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/** Mounts the admin REST API at {@code /admin/realms/{realm}/app-users}. */
public class AppUsersAdminResourceProviderFactory implements AdminRealmResourceProviderFactory {

    public static final String PROVIDER_ID = "app-users";

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return new AppUsersAdminResourceProvider();
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
