package io.github.appusers.setup;

import io.github.appusers.settings.SettingsChanged;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * What a realm needs once any feature is on, whatever the feature: the {@code app-users} client
 * scope with our claims. Reacts to settings written or imported; features set up their own parts
 * (the email/password feature its required action) the same way.
 */
public final class RealmSetup implements ProviderEventListener {

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof SettingsChanged changed && changed.settings().anyFeatureEnabled()) {
            AppUsersClientScope.ensure(changed.session(), changed.realm());
        }
    }
}
