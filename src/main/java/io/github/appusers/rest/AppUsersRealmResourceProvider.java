package io.github.appusers.rest;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

final class AppUsersRealmResourceProvider implements RealmResourceProvider {

    private final KeycloakSession session;

    AppUsersRealmResourceProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return new AppUsersRealmResource(session);
    }

    @Override
    public void close() {
    }
}
