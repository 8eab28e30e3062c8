package io.github.appusers.emailpassword;

import java.util.List;

import io.github.appusers.settings.SettingsChanged;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The {@link PendingRegistrationCheck} of the direct grant flow (Keycloak's password grant). A
 * realm that turns email/password on gets it as the first step of the direct grant flow it has
 * bound, so the password grant itself stays Keycloak's, in this realm and in every other.
 */
public class PendingRegistrationCheckFactory implements AuthenticatorFactory {

    public static final String PROVIDER_ID = "app-users-pending-registration";

    private static final PendingRegistrationCheck INSTANCE = new PendingRegistrationCheck();
    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED};

    @Override
    public Authenticator create(KeycloakSession session) {
        return INSTANCE;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof SettingsChanged changed && changed.settings().emailPassword.enabled) {
                install(changed.realm());
            }
        });
    }

    /**
     * Adds the check in front of the realm's direct grant flow, unless it is there. An admin may
     * disable it (or bind another flow); a later settings change adds it again only where it is
     * missing from the bound flow.
     */
    static void install(RealmModel realm) {
        AuthenticationFlowModel flow = realm.getDirectGrantFlow();
        if (flow == null || realm.getAuthenticationExecutionsStream(flow.getId())
                .anyMatch(execution -> PROVIDER_ID.equals(execution.getAuthenticator()))) {
            return;
        }
        int first = realm.getAuthenticationExecutionsStream(flow.getId())
                .mapToInt(AuthenticationExecutionModel::getPriority).min().orElse(10);
        AuthenticationExecutionModel execution = new AuthenticationExecutionModel();
        execution.setParentFlow(flow.getId());
        execution.setAuthenticator(PROVIDER_ID);
        execution.setAuthenticatorFlow(false);
        execution.setRequirement(AuthenticationExecutionModel.Requirement.REQUIRED);
        execution.setPriority(first - 1);
        realm.addAuthenticatorExecution(execution);
    }

    @Override
    public String getDisplayType() {
        return "Pending registration check (app-users)";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public String getHelpText() {
        return "Direct grant: answers confirmation_required to a pending email/password registration that gives its "
                + "right password; everything else goes on to the next steps.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
