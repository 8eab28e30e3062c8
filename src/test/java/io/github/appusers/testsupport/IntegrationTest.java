package io.github.appusers.testsupport;

/**
 * Base of every {@code *IT}: the shared Keycloak server of this test JVM (started on first use,
 * stopped when the JVM ends) and clients for it.
 */
public abstract class IntegrationTest {

    private static Api api;
    private static AdminApi admin;

    public static synchronized Api api() {
        if (api == null) {
            api = new Api(KeycloakServer.shared().baseUrl());
        }
        return api;
    }

    public static synchronized AdminApi admin() {
        if (admin == null) {
            admin = new AdminApi(api());
        }
        return admin;
    }

    public static KeycloakServer server() {
        return KeycloakServer.shared();
    }
}
