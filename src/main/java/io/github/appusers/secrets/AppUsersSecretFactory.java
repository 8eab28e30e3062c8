package io.github.appusers.secrets;

import org.keycloak.component.ComponentFactory;

/** The factory type of {@link AppUsersSecretSpi}: the components that hold a realm's secrets. */
public interface AppUsersSecretFactory extends ComponentFactory<AppUsersSecret, AppUsersSecret> {
}
