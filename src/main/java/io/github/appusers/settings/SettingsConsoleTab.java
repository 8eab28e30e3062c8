package io.github.appusers.settings;

import java.util.List;
import java.util.Map;

import io.github.appusers.common.ConsoleTabComponent;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

/**
 * The "App users" tab in the admin console's realm settings (Keycloak's declarative UI, present
 * when the server runs with {@code --features=declarative-ui}). It edits the realm attribute
 * {@code app-users.settings}; the tab's component only mirrors it for the console to read:
 * a save here is validated and applied by {@link #validateConfiguration} exactly as a
 * {@code PUT .../app-users/settings} is, and a PUT there refreshes the mirror ({@link #refresh}).
 */
public final class SettingsConsoleTab implements UiTabProviderFactory<ComponentModel> {

    /** Also the tab's title: the admin console shows a tab's provider id. */
    public static final String PROVIDER_ID = "App users";
    /** The tab's path segment: {@code #/{realm}/realm-settings/app-users}. */
    public static final String TAB = "app-users";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "keycloak-app-users settings of this realm";
    }

    @Override
    public String getPath() {
        return "/:realm/realm-settings/:tab?";
    }

    @Override
    public Map<String, String> getParams() {
        return Map.of("tab", TAB);
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return SettingsForm.properties();
    }

    /**
     * A console save (or a realm import carrying the tab): the form becomes a settings patch, the
     * same strict merge as the REST PUT accepts or refuses it, and an accepted change is stored.
     * The component keeps only the normalised view of the result (secrets masked).
     */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        if (model.getParentId() != null && !model.getParentId().equals(realm.getId())) {
            throw ConsoleTabComponent.invalid("the " + PROVIDER_ID + " tab belongs to its realm");
        }
        AppUsersSettings current = SettingsStore.read(realm);
        AppUsersSettings merged;
        try {
            merged = SettingsCodec.merge(current, SettingsForm.toPatch(model.getConfig()));
        } catch (SettingsCodec.InvalidSettingsException e) {
            throw ConsoleTabComponent.invalid(e.getMessage());
        }
        // Unchanged (a refresh of the mirror, or an import whose attribute came first): no side effects.
        if (!SettingsCodec.toStoredForm(merged).equals(SettingsCodec.toStoredForm(current))) {
            SettingsStore.store(session, realm, merged);
        }
        model.setConfig(SettingsForm.toConfig(merged));
    }

    /**
     * Makes the tab show the realm's current settings. {@code create}: also when the realm has no
     * tab component yet (after an admin changed the settings).
     */
    public static void refresh(KeycloakSession session, RealmModel realm, boolean create) {
        ConsoleTabComponent.refresh(session, realm, PROVIDER_ID, SettingsForm.toConfig(SettingsStore.read(realm)), create);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // A realm imported with settings but without the tab's component gets one, so the tab shows them.
        factory.register(event -> {
            if (event instanceof RealmModel.RealmPostCreateEvent created) {
                RealmModel realm = created.getCreatedRealm();
                refresh(created.getKeycloakSession(), realm, realm.getAttribute(SettingsStore.REALM_ATTRIBUTE) != null);
            }
        });
    }

    @Override
    public void close() {
    }
}
