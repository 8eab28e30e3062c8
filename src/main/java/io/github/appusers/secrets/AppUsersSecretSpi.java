package io.github.appusers.secrets;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * Our own SPI, so that a realm component can be of our type: Keycloak resolves a component's
 * provider type to an SPI before it stores, shows or exports the component.
 */
public final class AppUsersSecretSpi implements Spi {

    public static final String NAME = "app-users-secret";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return AppUsersSecret.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return AppUsersSecretFactory.class;
    }
}
