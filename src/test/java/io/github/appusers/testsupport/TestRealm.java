package io.github.appusers.testsupport;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A realm of its own for one test class, so tests never depend on each other's data or order.
 * It has a public client {@value #APP_CLIENT} (standard flow and password grant) and a
 * confidential client {@value #SERVICE_CLIENT} with a service account.
 */
public final class TestRealm {

    public static final String APP_CLIENT = "app";
    public static final String SERVICE_CLIENT = "service";
    public static final String SERVICE_SECRET = "service-secret";
    public static final String REDIRECT_URI = "http://localhost:1/callback";

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private final Api api;
    private final AdminApi admin;

    private TestRealm(String name, Api api, AdminApi admin) {
        this.name = name;
        this.api = api;
        this.admin = admin;
    }

    /** A realm that exists already on the shared server (e.g. one a test imported itself). */
    public static TestRealm existing(String name) {
        return new TestRealm(name, IntegrationTest.api(), IntegrationTest.admin());
    }

    /** Creates a realm named after the prefix, with the given settings document (may be null). */
    public static TestRealm create(String prefix, Map<String, Object> settings) {
        return create(prefix, settings, Map.of());
    }

    /** As {@link #create(String, Map)}, with more realm representation fields (smtpServer, ...). */
    public static TestRealm create(String prefix, Map<String, Object> settings, Map<String, Object> realmFields) {
        return create(IntegrationTest.api(), IntegrationTest.admin(), prefix, settings, realmFields);
    }

    /** As {@link #create(String, Map)}, through the given server (e.g. one node of a cluster). */
    public static TestRealm create(Api api, AdminApi admin, String prefix, Map<String, Object> settings) {
        return create(api, admin, prefix, settings, Map.of());
    }

    private static TestRealm create(Api api, AdminApi admin, String prefix, Map<String, Object> settings,
            Map<String, Object> realmFields) {
        String name = prefix + "-" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> realm = map(
                "realm", name,
                "enabled", true,
                "passwordPolicy", "length(6) and maxLength(128)",
                "eventsEnabled", true,
                "clients", List.of(
                        map("clientId", APP_CLIENT, "publicClient", true, "standardFlowEnabled", true,
                                "directAccessGrantsEnabled", true, "redirectUris", List.of("http://localhost:*"),
                                "webOrigins", List.of("+")),
                        map("clientId", SERVICE_CLIENT, "publicClient", false, "secret", SERVICE_SECRET,
                                "serviceAccountsEnabled", true, "standardFlowEnabled", false,
                                "directAccessGrantsEnabled", true)));
        if (settings != null) {
            realm.put("attributes", map("app-users.settings", Api.toJson(settings)));
        }
        realm.putAll(realmFields);
        expect(admin.post("/realms", realm), 201);
        return new TestRealm(name, api, admin);
    }

    public String name() {
        return name;
    }

    public Api api() {
        return api;
    }

    public AdminApi admin() {
        return admin;
    }

    /** {@code /realms/{name}} + path. */
    public String path(String path) {
        return "/realms/" + name + path;
    }

    /** {@code /realms/{name}} + path, for the admin API (which adds {@code /admin}). */
    public String adminPath(String path) {
        return "/realms/" + name + path;
    }

    public String tokenEndpoint() {
        return path("/protocol/openid-connect/token");
    }

    public ApiResponse updateSettings(Map<String, Object> patch) {
        return admin.put(adminPath("/app-users/settings"), patch);
    }

    /** Creates a complete, enabled user with a password; returns its id. */
    public String createUser(String username, String password) {
        ApiResponse created = expect(admin.post(adminPath("/users"), map(
                "username", username, "enabled", true, "email", username + "@example.test", "emailVerified", true,
                "firstName", "Test", "lastName", "User",
                "credentials", List.of(map("type", "password", "value", password, "temporary", false)))), 201);
        String location = created.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Password grant with the public app client; fails the test unless it succeeds. */
    public JsonNode passwordLogin(String username, String password) {
        return expect(api.postForm(tokenEndpoint(), null, Api.form("grant_type", "password", "client_id", APP_CLIENT,
                "username", username, "password", password, "scope", "openid")), 200).json();
    }

    public JsonNode clientCredentials() {
        return expect(api.postForm(tokenEndpoint(), null, Api.form("grant_type", "client_credentials",
                "client_id", SERVICE_CLIENT, "client_secret", SERVICE_SECRET)), 200).json();
    }

    /**
     * Makes email and names optional in the realm's user profile, as app realms need: guests have
     * none, and email/password sign-ups give only an email. Otherwise Keycloak asks for them.
     */
    public TestRealm relaxUserProfile() {
        com.fasterxml.jackson.databind.node.ObjectNode profile = (com.fasterxml.jackson.databind.node.ObjectNode)
                expect(admin.get(adminPath("/users/profile")), 200).json();
        for (JsonNode attribute : profile.get("attributes")) {
            if (!"username".equals(attribute.get("name").asText())) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) attribute).remove("required");
            }
        }
        expect(admin.put(adminPath("/users/profile"), profile), 200);
        return this;
    }

    /** A user of the test realm holding one realm-management role, logged in through admin-cli. */
    public String realmAdminToken(String username, String role) {
        String userId = createUser(username, username + "-password");
        if (role != null) {
            JsonNode clients = expect(admin.get(adminPath("/clients?clientId=realm-management")), 200).json();
            String clientUuid = clients.get(0).get("id").asText();
            JsonNode roleRep = expect(admin.get(adminPath("/clients/" + clientUuid + "/roles/" + role)), 200)
                    .json();
            expect(admin.post(adminPath("/users/" + userId + "/role-mappings/clients/" + clientUuid),
                    List.of(roleRep)), 204);
        }
        return expect(api.postForm(tokenEndpoint(), null, Api.form("grant_type", "password",
                "client_id", "admin-cli", "username", username, "password", username + "-password")), 200)
                .json().get("access_token").asText();
    }

    /**
     * Declares (or redeclares) the attribute {@code name} in the realm's user profile: users and
     * admins may view it, {@code editors} ({@code "admin"}, {@code "user"}) may edit it.
     */
    public TestRealm declareAttribute(String name, String... editors) {
        com.fasterxml.jackson.databind.node.ObjectNode profile = (com.fasterxml.jackson.databind.node.ObjectNode)
                expect(admin.get(adminPath("/users/profile")), 200).json();
        com.fasterxml.jackson.databind.node.ArrayNode attributes =
                (com.fasterxml.jackson.databind.node.ArrayNode) profile.get("attributes");
        for (int i = attributes.size() - 1; i >= 0; i--) {
            if (name.equals(attributes.get(i).get("name").asText())) {
                attributes.remove(i);
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode attribute = attributes.addObject()
                .put("name", name).put("displayName", name).put("multivalued", false);
        com.fasterxml.jackson.databind.node.ObjectNode permissions = attribute.putObject("permissions");
        permissions.putArray("view").add("admin").add("user");
        com.fasterxml.jackson.databind.node.ArrayNode edit = permissions.putArray("edit");
        for (String editor : editors) {
            edit.add(editor);
        }
        expect(admin.put(adminPath("/users/profile"), profile), 200);
        return this;
    }

    public void delete() {
        admin.delete(adminPath(""));
    }
}
