package io.github.appusers.common;

import java.util.List;

import org.keycloak.common.Profile;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiTabProvider;

/**
 * The component behind one of our admin console tabs (Keycloak's declarative UI,
 * {@code UiTabProviderFactory}). The console reads a tab's form from that component's config and
 * saves the form back into it, so the component is the console's view of our data, never its
 * source: our settings and functions stay in their realm attributes. Each write through our REST
 * endpoints refreshes the view here, and each save in the console goes through the tab factory's
 * {@code validateConfiguration}, which applies it to the realm attributes first.
 */
public final class ConsoleTabComponent {

    /** The provider type the admin console lists tabs by ({@code components?type=...}). */
    public static final String PROVIDER_TYPE = UiTabProvider.class.getName();

    private ConsoleTabComponent() {
    }

    /**
     * Writes {@code config} into the realm's component of the tab {@code providerId}. Creates the
     * component only when {@code create} is set (an admin or an import configured something) and
     * the console shows such tabs at all: Keycloak 26.7 loads tab factories regardless, but its
     * console draws them only with the experimental {@code declarative-ui} feature, and a realm
     * should not gain components that nothing shows.
     */
    public static void refresh(KeycloakSession session, RealmModel realm, String providerId,
            MultivaluedHashMap<String, String> config, boolean create) {
        if (session.getKeycloakSessionFactory().getProviderFactory(UiTabProvider.class, providerId) == null) {
            return;
        }
        List<ComponentModel> existing = realm.getComponentsStream(realm.getId(), PROVIDER_TYPE)
                .filter(component -> providerId.equals(component.getProviderId()))
                .toList();
        if (existing.isEmpty()) {
            if (create && Profile.isFeatureEnabled(Profile.Feature.DECLARATIVE_UI)) {
                ComponentModel component = new ComponentModel();
                component.setName(providerId);
                component.setProviderId(providerId);
                component.setProviderType(PROVIDER_TYPE);
                component.setParentId(realm.getId());
                component.setConfig(new MultivaluedHashMap<>(config));
                realm.addComponentModel(component);
            }
            return;
        }
        for (ComponentModel component : existing) {
            if (!config.equals(component.getConfig())) {
                component.setConfig(new MultivaluedHashMap<>(config));
                realm.updateComponent(component);
            }
        }
    }

    /**
     * A refusal the console shows as is. Keycloak runs the message through {@code MessageFormat}
     * (quotes and braces are syntax there), so it is passed as the one parameter of "{0}"; logs and
     * imports, which do not format, see the plain text.
     */
    public static ComponentValidationException invalid(String message) {
        return new TabValidationException(message);
    }

    private static final class TabValidationException extends ComponentValidationException {
        private final String text;

        TabValidationException(String text) {
            super("{0}", text);
            this.text = text;
        }

        @Override
        public String getLocalizedMessage() {
            return text;
        }
    }
}
