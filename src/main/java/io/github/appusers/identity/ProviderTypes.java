package io.github.appusers.identity;

/** Identity provider types (docs/linking.md), named as Atlas App Services names them. */
public final class ProviderTypes {

    public static final String ANONYMOUS = "anon-user";
    public static final String LOCAL_USERPASS = "local-userpass";
    public static final String CUSTOM_FUNCTION = "custom-function";
    public static final String CUSTOM_TOKEN = "custom-token";
    public static final String API_KEY = "api-key";
    /** Prefix of brokered identities; the rest is the identity provider alias. */
    public static final String OAUTH2_PREFIX = "oauth2-";

    private ProviderTypes() {
    }

    /** Types stored in our table (brokered identities live in Keycloak's own federated identities). */
    public static boolean isStored(String type) {
        return ANONYMOUS.equals(type) || LOCAL_USERPASS.equals(type) || CUSTOM_FUNCTION.equals(type)
                || CUSTOM_TOKEN.equals(type) || API_KEY.equals(type);
    }
}
