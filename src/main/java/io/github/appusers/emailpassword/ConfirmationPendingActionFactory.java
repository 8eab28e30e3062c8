package io.github.appusers.emailpassword;

import io.github.appusers.signin.PendingRegistrations;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

public class ConfirmationPendingActionFactory implements RequiredActionFactory {

    public static final String PROVIDER_ID = PendingRegistrations.REQUIRED_ACTION;

    private static final ConfirmationPendingAction INSTANCE = new ConfirmationPendingAction();

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return INSTANCE;
    }

    @Override
    public String getDisplayText() {
        return "Confirm registration (app-users)";
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
