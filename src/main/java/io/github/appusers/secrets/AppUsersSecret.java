package io.github.appusers.secrets;

import java.util.Optional;

import org.keycloak.provider.Provider;

/**
 * One secret of a realm (a function's signing secret, the custom JWT HS256 secret, ...), kept as
 * a realm component of our own type: the way Keycloak keeps LDAP bind credentials. Keycloak masks
 * the component's secret property in the admin API and in partial exports, and the realm cache
 * carries it to every cluster node.
 */
public interface AppUsersSecret extends Provider {

    /** The secret, a vault reference resolved through Keycloak's vault; empty when the vault has no such entry. */
    Optional<String> value();

    @Override
    default void close() {
    }
}
