package io.github.appusers.common;

import java.util.Map;

import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

/**
 * One of our tabs in the admin console's realm settings: where it shows, its title, and the
 * rules every tab shares (a save applies to its own realm only; a realm created or imported with
 * data for the tab gets the tab's component, so the tab shows that data).
 */
public abstract class ConsoleTabFactory implements UiTabProviderFactory<ComponentModel> {

    private final String providerId;
    private final String tab;
    private final String helpText;

    /** {@code providerId} is also the tab's title: the admin console shows a tab's provider id. */
    protected ConsoleTabFactory(String providerId, String tab, String helpText) {
        this.providerId = providerId;
        this.tab = tab;
        this.helpText = helpText;
    }

    /** Validates a console save (or an imported tab component) and applies it to the realm. */
    protected abstract void apply(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException;

    /** Whether the realm holds anything this tab shows. */
    protected abstract boolean hasData(RealmModel realm);

    /** Makes the tab show the realm's current data; {@code create}: also when it has no component yet. */
    protected abstract void refreshRealm(KeycloakSession session, RealmModel realm, boolean create);

    @Override
    public final void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        if (model.getParentId() != null && !model.getParentId().equals(realm.getId())) {
            throw ConsoleTabComponent.invalid("the " + providerId + " tab belongs to its realm");
        }
        apply(session, realm, model);
    }

    @Override
    public String getId() {
        return providerId;
    }

    @Override
    public String getHelpText() {
        return helpText;
    }

    @Override
    public String getPath() {
        return "/:realm/realm-settings/:tab?";
    }

    @Override
    public Map<String, String> getParams() {
        return Map.of("tab", tab);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof RealmModel.RealmPostCreateEvent created) {
                RealmModel realm = created.getCreatedRealm();
                refreshRealm(created.getKeycloakSession(), realm, hasData(realm));
            }
        });
    }

    @Override
    public void close() {
    }
}
