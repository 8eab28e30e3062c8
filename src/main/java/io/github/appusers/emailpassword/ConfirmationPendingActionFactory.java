package io.github.appusers.emailpassword;

import io.github.appusers.settings.SettingsChanged;
import io.github.appusers.signin.PendingRegistrations;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;

/** The pending-registration required action, and its registration in realms that turn email/password on. */
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
        factory.register(event -> {
            if (event instanceof SettingsChanged changed && changed.settings().emailPassword.enabled) {
                register(changed.realm());
            }
        });
    }

    /**
     * Keycloak runs only the required actions a realm has registered: a realm that turns
     * email/password on gets this one (enabled again if an admin disabled it). Idempotent.
     */
    static void register(RealmModel realm) {
        RequiredActionProviderModel existing = realm.getRequiredActionProviderByAlias(PROVIDER_ID);
        if (existing == null) {
            RequiredActionProviderModel action = new RequiredActionProviderModel();
            action.setAlias(PROVIDER_ID);
            action.setProviderId(PROVIDER_ID);
            action.setName("Confirm registration (app-users)");
            action.setEnabled(true);
            action.setDefaultAction(false);
            action.setPriority(5);
            realm.addRequiredActionProvider(action);
        } else if (!existing.isEnabled()) {
            existing.setEnabled(true);
            realm.updateRequiredActionProvider(existing);
        }
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
