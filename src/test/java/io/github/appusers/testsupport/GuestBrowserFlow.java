package io.github.appusers.testsupport;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Configures a realm as an administrator would through the admin console: a copy of the browser
 * flow with the guest login form in place of the username/password form, our login theme (which
 * draws the button), and a user profile in
 * which guests need no email or names.
 */
public final class GuestBrowserFlow {

    public static final String FLOW = "guest browser";

    private GuestBrowserFlow() {
    }

    public static void install(TestRealm realm) {
        AdminApi admin = realm.admin();
        expect(admin.post(realm.adminPath("/authentication/flows/browser/copy"), map("newName", FLOW)), 201);
        String flowPath = realm.adminPath("/authentication/flows/" + encode(FLOW) + "/executions");
        String formsAlias = null;
        for (JsonNode execution : expect(admin.get(flowPath), 200).json()) {
            if ("auth-username-password-form".equals(execution.path("providerId").asText())) {
                expect(admin.delete(realm.adminPath("/authentication/executions/" + execution.get("id").asText())), 204);
            }
            if (execution.path("authenticationFlow").asBoolean() && execution.path("displayName").asText().endsWith("forms")) {
                formsAlias = execution.get("displayName").asText();
            }
        }
        expect(admin.post(realm.adminPath("/authentication/flows/" + encode(formsAlias) + "/executions/execution"),
                map("provider", "app-users-guest-login-form")), 201);
        for (JsonNode execution : expect(admin.get(flowPath), 200).json()) {
            if ("app-users-guest-login-form".equals(execution.path("providerId").asText())) {
                ObjectNode update = (ObjectNode) execution;
                update.put("requirement", "REQUIRED");
                expect(admin.put(flowPath, update), 202, 204);
                // Added last in the forms sub-flow; it must come before the conditional OTP sub-flow.
                expect(admin.post(realm.adminPath("/authentication/executions/" + execution.get("id").asText()
                        + "/raise-priority"), null), 204);
            }
        }
        expect(admin.put(realm.adminPath(""), map("browserFlow", FLOW, "loginTheme", "app-users")), 204);
        realm.relaxUserProfile();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
