package io.github.appusers.emailpassword;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.ResourceOwnerPasswordCredentialsGrantTypeFactory;

/**
 * Replaces Keycloak's "password" grant factory (same id; Keycloak prefers a custom factory over
 * its internal one) with one that explains pending registrations. Everything else is Keycloak's.
 */
public class PendingAwarePasswordGrantTypeFactory extends ResourceOwnerPasswordCredentialsGrantTypeFactory {

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new PendingAwarePasswordGrantType();
    }
}
