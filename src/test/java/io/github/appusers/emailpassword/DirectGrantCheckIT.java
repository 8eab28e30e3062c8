package io.github.appusers.emailpassword;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.Test;

/**
 * The password grant stays Keycloak's: a realm that turns email/password on gets our pending
 * registration check as the first step of its direct grant flow, other realms keep Keycloak's
 * flow and answers untouched.
 */
class DirectGrantCheckIT extends IntegrationTest {

    private static final String CHECK = "app-users-pending-registration";

    private static List<String> directGrantSteps(TestRealm realm) {
        JsonNode executions = expect(realm.admin().get(realm.adminPath(
                "/authentication/flows/direct%20grant/executions")), 200).json();
        List<String> steps = new java.util.ArrayList<>();
        executions.forEach(execution -> steps.add(execution.path("providerId").asText()));
        return steps;
    }

    private static ApiResponse passwordGrant(TestRealm realm, String username, String password) {
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "password",
                "client_id", TestRealm.APP_CLIENT, "username", username, "password", password));
    }

    @Test
    void turningEmailPasswordOnPutsTheCheckFirstInTheDirectGrantFlowOnce() {
        TestRealm realm = TestRealm.create("direct-grant-on", null);
        assertFalse(directGrantSteps(realm).contains(CHECK));
        expect(realm.updateSettings(map("email_password", map("enabled", true, "confirmation", "email"))), 200);
        expect(realm.updateSettings(map("email_password", map("resend_cooldown_seconds", 30))), 200);
        List<String> steps = directGrantSteps(realm);
        assertEquals(CHECK, steps.get(0), steps.toString());
        assertEquals(1, steps.stream().filter(CHECK::equals).count(), "added once");

        // A pending registration with its right password is told to confirm; a wrong one is not.
        String email = "direct-" + System.nanoTime() + "@example.test";
        expect(realm.api().postJson(realm.path("/app-users/email-password/register"), null,
                map("email", email, "password", "direct-password")), 202);
        assertEquals("confirmation_required", passwordGrant(realm, email, "direct-password").error());
        assertEquals("invalid_grant", passwordGrant(realm, email, "wrong-password").error());
        // Ordinary users sign in as always.
        realm.createUser("plain", "plain-password");
        assertEquals(200, passwordGrant(realm, "plain", "plain-password").status());
    }

    @Test
    void realmsWithoutEmailPasswordKeepKeycloaksFlowAndAnswers() {
        TestRealm realm = TestRealm.create("direct-grant-off", map("anonymous", map("enabled", true)));
        assertFalse(directGrantSteps(realm).contains(CHECK));
        String userId = realm.createUser("todo", "todo-password");
        expect(realm.admin().put(realm.adminPath("/users/" + userId), map("requiredActions", List.of("UPDATE_PASSWORD"))),
                204);
        ApiResponse answer = passwordGrant(realm, "todo", "todo-password");
        assertEquals("invalid_grant", answer.error());
        assertEquals("Account is not fully set up", answer.errorDescription(), "Keycloak's own password grant");
    }

    @Test
    void aRealmImportedWithEmailPasswordOnHasTheCheck() {
        TestRealm realm = TestRealm.create("direct-grant-import", map("email_password", map("enabled", true)));
        assertTrue(directGrantSteps(realm).contains(CHECK));
    }
}
