package io.github.appusers.signin;

import java.util.Set;

import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;

/**
 * Which of our grants a client may use. The client attribute {@value #CLIENT_ATTRIBUTE} lists them,
 * separated by spaces or commas, each as its full {@code grant_type} or its short name
 * ({@code anonymous}, {@code custom-function}, {@code api-key}, {@code custom-token}); {@code none}
 * or an unknown name grants nothing. Without the attribute a client may use every grant the realm
 * has on, as before the attribute existed, so realms of earlier versions keep working. Keycloak's
 * admin clients ({@code admin-cli}, {@code security-admin-console}) never may: their tokens are
 * for administration, and a user signed in through them must not be an app user of ours.
 */
public final class GrantPermissions {

    /** The client attribute (set with kcadm or in the client's JSON). */
    public static final String CLIENT_ATTRIBUTE = "app-users.grants";
    /** What our grant types start with; the rest is the short name. */
    public static final String GRANT_TYPE_PREFIX = "urn:app-users:grant-type:";

    private static final Set<String> ADMIN_CLIENTS = Set.of(Constants.ADMIN_CLI_CLIENT_ID,
            Constants.ADMIN_CONSOLE_CLIENT_ID);

    private GrantPermissions() {
    }

    /** Whether {@code client} may use our grant {@code grantType} (its full URN). */
    public static boolean allows(ClientModel client, String grantType) {
        return allows(client.getClientId(), client.getAttribute(CLIENT_ATTRIBUTE), grantType);
    }

    /** As {@link #allows(ClientModel, String)}, from the client's id and attribute value (null: absent). */
    static boolean allows(String clientId, String attribute, String grantType) {
        if (ADMIN_CLIENTS.contains(clientId)) {
            return false;
        }
        if (attribute == null) {
            return true;
        }
        for (String name : attribute.trim().split("[\\s,]+")) {
            if (!name.isEmpty() && (name.equals(grantType) || (GRANT_TYPE_PREFIX + name).equals(grantType))) {
                return true;
            }
        }
        return false;
    }
}
