package io.github.appusers.settings;

import java.util.List;

import io.github.appusers.common.ConsoleTabComponent;
import io.github.appusers.common.ConsoleTabFactory;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The "App users" tab in the admin console's realm settings (Keycloak's declarative UI, present
 * when the server runs with {@code --features=declarative-ui}). It edits the realm attribute
 * {@code app-users.settings}; the tab's component only mirrors it for the console to read:
 * a save here is validated and applied by {@link #apply} exactly as a
 * {@code PUT .../app-users/settings} is, and a PUT there refreshes the mirror ({@link #refresh}).
 */
public final class SettingsConsoleTab extends ConsoleTabFactory {

    /** Also the tab's title: the admin console shows a tab's provider id. */
    public static final String PROVIDER_ID = "App users";
    /** The tab's path segment: {@code #/{realm}/realm-settings/app-users}. */
    public static final String TAB = "app-users";

    public SettingsConsoleTab() {
        super(PROVIDER_ID, TAB, "keycloak-app-users settings of this realm");
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
    protected void apply(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        AppUsersSettings merged;
        try {
            // Unchanged (a refresh of the mirror, or an import whose attribute came first): no side effects.
            merged = SettingsStore.update(session, realm, SettingsForm.toPatch(model.getConfig()), false);
        } catch (SettingsCodec.InvalidSettingsException e) {
            throw ConsoleTabComponent.invalid(e.getMessage());
        }
        model.setConfig(SettingsForm.toConfig(SettingsStore.effective(realm, merged)));
    }

    /**
     * Makes the tab show the realm's current settings. {@code create}: also when the realm has no
     * tab component yet (after an admin changed the settings).
     */
    public static void refresh(KeycloakSession session, RealmModel realm, boolean create) {
        ConsoleTabComponent.refresh(session, realm, PROVIDER_ID,
                SettingsForm.toConfig(SettingsStore.effective(realm, SettingsStore.readWithSecrets(session, realm))), create);
    }

    @Override
    protected boolean hasData(RealmModel realm) {
        return realm.getAttribute(SettingsStore.REALM_ATTRIBUTE) != null;
    }

    @Override
    protected void refreshRealm(KeycloakSession session, RealmModel realm, boolean create) {
        refresh(session, realm, create);
    }
}
