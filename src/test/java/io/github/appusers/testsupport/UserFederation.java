package io.github.appusers.testsupport;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A real user federation provider of a realm and users linked to it, for the rules about users of
 * a user federation provider. It is Keycloak's Kerberos provider in "unsynced" mode: it validates
 * linked users without asking its KDC (none exists here), so they stay usable, while lookups of
 * unknown usernames would ask it, so create the realm's users before the provider.
 */
public final class UserFederation {

    private final TestRealm realm;
    private final String componentId;

    private UserFederation(TestRealm realm, String componentId) {
        this.realm = realm;
        this.componentId = componentId;
    }

    public static UserFederation create(TestRealm realm) {
        String realmId = expect(realm.admin().get(realm.adminPath("")), 200).json().get("id").asText();
        ApiResponse created = expect(realm.admin().post(realm.adminPath("/components"), map("name", "kerberos",
                "providerId", "kerberos", "providerType", "org.keycloak.storage.UserStorageProvider", "parentId", realmId,
                "config", map("enabled", List.of("true"), "editMode", List.of("UNSYNCED"),
                        "kerberosRealm", List.of("EXAMPLE.TEST"), "serverPrincipal", List.of("HTTP/localhost@EXAMPLE.TEST"),
                        "keyTab", List.of("/nonexistent/http.keytab"), "allowPasswordAuthentication", List.of("false"),
                        "updateProfileFirstLogin", List.of("false")))), 201);
        String location = created.header("Location");
        return new UserFederation(realm, location.substring(location.lastIndexOf('/') + 1));
    }

    /** Links an existing local user to the provider, as the provider's own first login would have. */
    public void link(String userId) {
        // Keycloak's admin API takes the federation link of a user representation (and drops its cached user).
        String path = realm.adminPath("/users/" + userId);
        ObjectNode user = (ObjectNode) expect(realm.admin().get(path), 200).json();
        user.put("federationLink", componentId);
        expect(realm.admin().put(path, user), 204);
        if (!componentId.equals(expect(realm.admin().get(path), 200).json().path("federationLink").asText())) {
            throw new AssertionError("user " + userId + " is not linked to the provider");
        }
    }
}
