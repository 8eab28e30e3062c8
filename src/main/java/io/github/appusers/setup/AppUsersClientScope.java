package io.github.appusers.setup;

import java.util.List;

import io.github.appusers.common.ClaimMapper;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

/**
 * The default client scope {@code app-users} that carries our claims to every client of a realm,
 * with the mapper of every claim the server's features ship ({@link ClaimMapper}s found through
 * Keycloak's protocol mapper SPI). Made sure of whenever a feature is on: idempotent, it only adds
 * what is missing.
 */
final class AppUsersClientScope {

    static final String NAME = "app-users";

    private static final Logger LOG = Logger.getLogger(AppUsersClientScope.class);

    private AppUsersClientScope() {
    }

    static ClientScopeModel ensure(KeycloakSession session, RealmModel realm) {
        ClientScopeModel scope = realm.getClientScopesStream()
                .filter(candidate -> NAME.equals(candidate.getName()))
                .findFirst()
                .orElse(null);
        if (scope == null) {
            scope = realm.addClientScope(NAME);
            scope.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
            scope.setDescription("Claims of keycloak-app-users: is_anonymous, custom_data, identities");
            scope.setIncludeInTokenScope(false);
            scope.setDisplayOnConsentScreen(false);
            LOG.infof("Realm '%s': created the default client scope '%s'", realm.getName(), NAME);
        }
        for (ProtocolMapperModel wanted : mappers(session)) {
            if (scope.getProtocolMapperByName(OIDCLoginProtocol.LOGIN_PROTOCOL, wanted.getName()) == null) {
                scope.addProtocolMapper(wanted);
            }
        }
        ClientScopeModel finalScope = scope;
        boolean isDefault = realm.getDefaultClientScopesStream(true).anyMatch(s -> s.getId().equals(finalScope.getId()));
        if (!isDefault) {
            realm.addDefaultClientScope(scope, true);
        }
        // Default scopes apply to clients created later; the ones that exist get it now.
        realm.getClientsStream()
                .filter(client -> client.getProtocol() == null || OIDCLoginProtocol.LOGIN_PROTOCOL.equals(client.getProtocol()))
                .filter(client -> !client.getClientScopes(true).containsKey(NAME)
                        && !client.getClientScopes(false).containsKey(NAME))
                .forEach(client -> client.addClientScope(finalScope, true));
        return scope;
    }

    private static List<ProtocolMapperModel> mappers(KeycloakSession session) {
        return session.getKeycloakSessionFactory().getProviderFactoriesStream(ProtocolMapper.class)
                .filter(ClaimMapper.class::isInstance)
                .map(factory -> ((ClaimMapper) factory).scopeModel())
                .toList();
    }
}
