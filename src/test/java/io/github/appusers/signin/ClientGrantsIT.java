package io.github.appusers.signin;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.GuestBrowserFlow;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.KeycloakServer;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client attribute {@code app-users.grants}: which of our grants a client may use. */
class ClientGrantsIT extends IntegrationTest {

    private static final String PREFIX = "urn:app-users:grant-type:";

    @TempDir
    Path tmp;

    private static TestRealm realm(String prefix) {
        return TestRealm.create(prefix, map("anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                "api_keys", map("enabled", true), "custom_function", map("enabled", true),
                "custom_token", map("enabled", true, "hs256_secret", "an-hs256-secret-that-is-long-enough-0123")));
    }

    private static ApiResponse grant(TestRealm realm, String clientId, String grant, String... params) {
        List<String> form = new ArrayList<>(List.of("grant_type", PREFIX + grant, "client_id", clientId));
        form.addAll(List.of(params));
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form(form.toArray(String[]::new)));
    }

    private static String serverKey(TestRealm realm) {
        return expect(realm.admin().post(realm.adminPath("/app-users/api-keys"), map("name", "backend")), 201).json()
                .get("key").asText();
    }

    private static String clientUuid(TestRealm realm, String clientId) {
        return expect(realm.admin().get(realm.adminPath("/clients?clientId=" + clientId)), 200).json().get(0)
                .get("id").asText();
    }

    /**
     * Sets the attribute as the admin console's client JSON or kcadm would. An empty value is how
     * an admin removes it: Keycloak stores no empty client attribute.
     */
    private static void setGrants(TestRealm realm, String clientId, String value) {
        String path = realm.adminPath("/clients/" + clientUuid(realm, clientId));
        ObjectNode client = (ObjectNode) expect(realm.admin().get(path), 200).json();
        ObjectNode attributes = client.has("attributes") ? (ObjectNode) client.get("attributes") : client.putObject("attributes");
        attributes.put(GrantPermissions.CLIENT_ATTRIBUTE, value);
        expect(realm.admin().put(path, client), 204);
    }

    private static long userCount(TestRealm realm) {
        return expect(realm.admin().get(realm.adminPath("/users/count")), 200).json().asLong();
    }

    private static void assertUnauthorizedClient(ApiResponse response, String clientId, String grant) {
        assertEquals(400, response.status(), response.toString());
        assertEquals("unauthorized_client", response.error());
        assertEquals("Client '" + clientId + "' may not use the grant type " + PREFIX + grant,
                response.json().get("error_description").asText());
    }

    @Test
    void withoutTheAttributeAClientUsesEveryGrantTheRealmHasOnAsBefore() {
        TestRealm realm = realm("grants-absent");
        expect(grant(realm, TestRealm.APP_CLIENT, "anonymous"), 200);
        expect(grant(realm, TestRealm.APP_CLIENT, "api-key", "api_key", serverKey(realm)), 200);
        expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", PREFIX + "api-key",
                "client_id", TestRealm.SERVICE_CLIENT, "client_secret", TestRealm.SERVICE_SECRET,
                "api_key", serverKey(realm))), 200);
    }

    @Test
    void aClientListingAnonymousAndCustomFunctionMayNotUseApiKeys() throws Exception {
        TestRealm realm = realm("grants-anonymous");
        String key = serverKey(realm);
        // The command the documentation shows, run with the distribution's kcadm.sh.
        Path config = tmp.resolve("kcadm.config");
        kcadm("config", "credentials", "--server", server().baseUrl(), "--realm", "master",
                "--user", KeycloakServer.ADMIN_USER, "--password", KeycloakServer.ADMIN_PASSWORD,
                "--config", config.toString());
        kcadm("update", "clients/" + clientUuid(realm, TestRealm.APP_CLIENT), "-r", realm.name(),
                "-s", "attributes.\"app-users.grants\"=\"anonymous custom-function\"", "--config", config.toString());
        assertEquals("anonymous custom-function", expect(realm.admin().get(realm.adminPath("/clients/"
                + clientUuid(realm, TestRealm.APP_CLIENT))), 200).json().at("/attributes/app-users.grants").asText());

        expect(grant(realm, TestRealm.APP_CLIENT, "anonymous"), 200);
        assertUnauthorizedClient(grant(realm, TestRealm.APP_CLIENT, "api-key", "api_key", key), TestRealm.APP_CLIENT,
                "api-key");
        JsonNode refusal = expect(realm.admin().get(realm.adminPath("/events?type=LOGIN_ERROR&client="
                + TestRealm.APP_CLIENT)), 200).json();
        assertEquals(1, refusal.size(), refusal.toString());
        assertEquals("not_allowed", refusal.get(0).get("error").asText());
        assertEquals(PREFIX + "api-key", refusal.get(0).at("/details/grant_type").asText());

        // Full grant types work as well as short names; commas as well as spaces.
        setGrants(realm, TestRealm.SERVICE_CLIENT, "urn:app-users:grant-type:custom-token, api-key");
        expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", PREFIX + "api-key",
                "client_id", TestRealm.SERVICE_CLIENT, "client_secret", TestRealm.SERVICE_SECRET, "api_key", key)), 200);
        assertUnauthorizedClient(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type",
                PREFIX + "anonymous", "client_id", TestRealm.SERVICE_CLIENT, "client_secret", TestRealm.SERVICE_SECRET)),
                TestRealm.SERVICE_CLIENT, "anonymous");
    }

    @Test
    void keycloaksAdminClientsNeverMayEvenWithTheAttribute() {
        TestRealm realm = realm("grants-admin-clients");
        setGrants(realm, "admin-cli", "anonymous api-key custom-function custom-token");
        assertUnauthorizedClient(grant(realm, "admin-cli", "anonymous"), "admin-cli", "anonymous");
        assertUnauthorizedClient(grant(realm, "admin-cli", "api-key", "api_key", serverKey(realm)), "admin-cli", "api-key");
        assertUnauthorizedClient(grant(realm, "security-admin-console", "anonymous"), "security-admin-console",
                "anonymous");
        // The server key's service user is the only user: no guest was created.
        assertEquals(1, userCount(realm));
    }

    @Test
    void noneRefusesEveryGrantBeforeItDoesAnything() {
        TestRealm realm = realm("grants-none");
        String key = serverKey(realm);
        setGrants(realm, TestRealm.APP_CLIENT, "none");
        assertUnauthorizedClient(grant(realm, TestRealm.APP_CLIENT, "anonymous"), TestRealm.APP_CLIENT, "anonymous");
        assertUnauthorizedClient(grant(realm, TestRealm.APP_CLIENT, "api-key", "api_key", key), TestRealm.APP_CLIENT,
                "api-key");
        assertUnauthorizedClient(grant(realm, TestRealm.APP_CLIENT, "custom-function", "function", "login",
                "payload", "{}"), TestRealm.APP_CLIENT, "custom-function");
        assertUnauthorizedClient(grant(realm, TestRealm.APP_CLIENT, "custom-token", "token", "a.b.c"),
                TestRealm.APP_CLIENT, "custom-token");
        assertEquals(1, userCount(realm));

        // Unknown names grant nothing either; an empty value removes the attribute, so all are allowed again.
        setGrants(realm, TestRealm.APP_CLIENT, "anonymus");
        assertUnauthorizedClient(grant(realm, TestRealm.APP_CLIENT, "anonymous"), TestRealm.APP_CLIENT, "anonymous");
        setGrants(realm, TestRealm.APP_CLIENT, "");
        assertFalse(expect(realm.admin().get(realm.adminPath("/clients/" + clientUuid(realm, TestRealm.APP_CLIENT))), 200)
                .json().path("attributes").has(GrantPermissions.CLIENT_ATTRIBUTE));
        expect(grant(realm, TestRealm.APP_CLIENT, "anonymous"), 200);
    }

    @Test
    void aClientNotAllowedTheAnonymousGrantGetsNoGuestLoginInTheBrowser() {
        TestRealm realm = realm("grants-browser");
        GuestBrowserFlow.install(realm);
        String authorize = realm.path("/protocol/openid-connect/auth") + "?client_id=" + TestRealm.APP_CLIENT
                + "&redirect_uri=" + TestRealm.REDIRECT_URI + "&response_type=code&scope=openid";
        ApiResponse offered = expect(realm.api().get(authorize, null), 200);
        assertTrue(offered.body().contains("app-users-continue-as-guest"), "the guest button, before the attribute");

        setGrants(realm, TestRealm.APP_CLIENT, "custom-function api-key");
        ApiResponse page = expect(realm.api().get(authorize, null), 200);
        assertFalse(page.body().contains("app-users-continue-as-guest"), "no guest button");
        assertTrue(page.body().contains("id=\"username\""), "the login page as usual");
        ApiResponse skipped = realm.api().get(authorize + "&anonymous=true", null);
        assertEquals(200, skipped.status(), "anonymous=true is ignored: the login page, no redirect with a code");
        assertTrue(skipped.body().contains("id=\"username\""));
        assertEquals(0, userCount(realm));
    }

    private void kcadm(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(server().home().resolve("bin/kcadm.sh").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile());
        String javaHome = System.getenv("KC_JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            builder.environment().put("JAVA_HOME", javaHome);
        }
        Path output = Files.createTempFile(tmp, "kcadm", ".out");
        builder.redirectErrorStream(true).redirectOutput(output.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("kcadm did not finish: " + command);
        }
        assertEquals(0, process.exitValue(), command + " -> " + Files.readString(output));
    }
}
