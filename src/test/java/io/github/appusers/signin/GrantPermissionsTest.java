package io.github.appusers.signin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GrantPermissionsTest {

    private static final String ANONYMOUS = "urn:app-users:grant-type:anonymous";
    private static final String API_KEY = "urn:app-users:grant-type:api-key";
    private static final String CUSTOM_FUNCTION = "urn:app-users:grant-type:custom-function";

    @Test
    void withoutTheAttributeEveryGrantIsAllowedAsBefore() {
        assertTrue(GrantPermissions.allows("app", null, ANONYMOUS));
        assertTrue(GrantPermissions.allows("app", null, API_KEY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"anonymous", "urn:app-users:grant-type:anonymous", " anonymous ", "custom-function anonymous",
            "custom-function,anonymous", "custom-function , anonymous", "api-key\tanonymous"})
    void theAttributeListsShortNamesOrFullGrantTypes(String attribute) {
        assertTrue(GrantPermissions.allows("app", attribute, ANONYMOUS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "", " ", "anonymous", "anonymous,custom-function", "apikey", "API-KEY", "api-keys",
            "urn:app-users:grant-type:", "grant-type:api-key", "password", "none api"})
    void anythingElseGrantsNothing(String attribute) {
        assertFalse(GrantPermissions.allows("app", attribute, API_KEY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin-cli", "security-admin-console"})
    void keycloaksAdminClientsNeverMay(String clientId) {
        assertFalse(GrantPermissions.allows(clientId, null, ANONYMOUS));
        assertFalse(GrantPermissions.allows(clientId, "anonymous api-key custom-function custom-token", CUSTOM_FUNCTION));
    }
}
