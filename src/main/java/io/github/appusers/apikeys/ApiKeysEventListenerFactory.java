package io.github.appusers.apikeys;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Global (no realm has to enable it): keeps user API keys from outliving a reset or an admin's sign-out. */
public class ApiKeysEventListenerFactory implements EventListenerProviderFactory {

    public static final String PROVIDER_ID = "app-users-api-keys";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new ApiKeysEventListener(session);
    }

    @Override
    public boolean isGlobal() {
        return true;
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
