package io.github.appusers.rest;

import io.github.appusers.settings.RealmImportListener;
import io.github.appusers.setup.RealmUpgrades;
import io.github.appusers.setup.RealmSetup;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Mounts the app-facing REST API at {@code /realms/{realm}/app-users}. */
public class AppUsersRealmResourceProviderFactory implements RealmResourceProviderFactory {

    /** The path segment under {@code /realms/{realm}/}. */
    public static final String PROVIDER_ID = "app-users";

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new AppUsersRealmResourceProvider(session);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(new RealmImportListener());
        factory.register(new RealmSetup());
        factory.register(new RealmUpgrades(factory));
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
