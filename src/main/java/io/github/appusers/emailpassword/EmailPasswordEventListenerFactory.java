package io.github.appusers.emailpassword;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Global (no realm has to enable it): acts only in realms with email/password on. */
public class EmailPasswordEventListenerFactory implements EventListenerProviderFactory {

    public static final String PROVIDER_ID = "app-users-email-password";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new EmailPasswordEventListener(session);
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
