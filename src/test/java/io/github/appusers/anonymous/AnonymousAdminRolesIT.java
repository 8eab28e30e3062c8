package io.github.appusers.anonymous;

import static io.github.appusers.anonymous.AnonymousGrantIT.anonymousLogin;
import static io.github.appusers.anonymous.AnonymousGrantIT.userCount;
import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.Test;

/** Anonymous users never hold admin roles, however an admin tries to give them one. */
class AnonymousAdminRolesIT extends IntegrationTest {

    @Test
    void aGuestCannotBeGivenAnAdminRoleWhileAPermanentUserCan() {
        TestRealm realm = TestRealm.create("anon-admin-direct", map("anonymous", map("enabled", true)));
        String guest = guest(realm);
        String permanent = realm.createUser("staff", "staff-password-1");
        String management = realmManagementId(realm);
        JsonNode manageUsers = expect(realm.admin().get(realm.adminPath("/clients/" + management
                + "/roles/manage-users")), 200).json();

        assertRefused(realm.admin().post(realm.adminPath("/users/" + guest + "/role-mappings/clients/" + management),
                List.of(manageUsers)));
        assertEquals(0, expect(realm.admin().get(realm.adminPath("/users/" + guest + "/role-mappings/clients/"
                + management)), 200).json().size(), "the refused mapping was rolled back");

        expect(realm.admin().post(realm.adminPath("/users/" + permanent + "/role-mappings/clients/" + management),
                List.of(manageUsers)), 204);
        assertEquals("manage-users", expect(realm.admin().get(realm.adminPath("/users/" + permanent
                + "/role-mappings/clients/" + management)), 200).json().at("/0/name").asText());
    }

    @Test
    void notThroughAGroupNorAGroupThatLaterGetsAnAdminRole() {
        TestRealm realm = TestRealm.create("anon-admin-group", map("anonymous", map("enabled", true)));
        String guest = guest(realm);
        String management = realmManagementId(realm);
        JsonNode viewUsers = expect(realm.admin().get(realm.adminPath("/clients/" + management
                + "/roles/view-users")), 200).json();
        String ops = createGroup(realm, "ops");
        expect(realm.admin().post(realm.adminPath("/groups/" + ops + "/role-mappings/clients/" + management),
                List.of(viewUsers)), 204);

        assertRefused(realm.admin().put(realm.adminPath("/users/" + guest + "/groups/" + ops), map()));
        assertEquals(0, expect(realm.admin().get(realm.adminPath("/users/" + guest + "/groups")), 200).json().size());

        // A group without admin roles takes the guest; giving the group one afterwards is refused.
        String players = createGroup(realm, "players");
        expect(realm.admin().put(realm.adminPath("/users/" + guest + "/groups/" + players), map()), 204);
        assertRefused(realm.admin().post(realm.adminPath("/groups/" + players + "/role-mappings/clients/"
                + management), List.of(viewUsers)));
        assertEquals(0, expect(realm.admin().get(realm.adminPath("/groups/" + players + "/role-mappings/clients/"
                + management)), 200).json().size());
    }

    @Test
    void notThroughARoleThatLaterBecomesACompositeOfAnAdminRole() {
        TestRealm realm = TestRealm.create("anon-admin-composite", map("anonymous", map("enabled", true)));
        String guest = guest(realm);
        expect(realm.admin().post(realm.adminPath("/roles"), map("name", "helper")), 201);
        JsonNode helper = expect(realm.admin().get(realm.adminPath("/roles/helper")), 200).json();
        expect(realm.admin().post(realm.adminPath("/users/" + guest + "/role-mappings/realm"), List.of(helper)), 204);
        JsonNode realmAdmin = expect(realm.admin().get(realm.adminPath("/clients/" + realmManagementId(realm)
                + "/roles/realm-admin")), 200).json();

        assertRefused(realm.admin().post(realm.adminPath("/roles/helper/composites"), List.of(realmAdmin)));
        assertFalse(expect(realm.admin().get(realm.adminPath("/roles/helper")), 200).json().get("composite")
                .asBoolean(), "the composite was rolled back");
    }

    @Test
    void defaultRolesWithAnAdminRoleAreRefusedWhileGuestsSignUpAndStopSignUpsWhenImportedSo() {
        TestRealm realm = TestRealm.create("anon-admin-default", map("anonymous", map("enabled", true)));
        JsonNode viewUsers = expect(realm.admin().get(realm.adminPath("/clients/" + realmManagementId(realm)
                + "/roles/view-users")), 200).json();
        String defaultRole = "default-roles-" + realm.name();

        assertRefused(realm.admin().post(realm.adminPath("/roles/" + defaultRole + "/composites"), List.of(viewUsers)));

        // With anonymous sign-up off the realm may do as it likes; turning sign-up on then is caught at sign-up.
        realm.updateSettings(map("anonymous", map("enabled", false)));
        expect(realm.admin().post(realm.adminPath("/roles/" + defaultRole + "/composites"), List.of(viewUsers)), 204);
        realm.updateSettings(map("anonymous", map("enabled", true)));
        long users = userCount(realm);
        ApiResponse refused = expect(anonymousLogin(realm), 403);
        assertEquals("forbidden", refused.error());
        assertTrue(refused.json().get("error_description").asText().contains("admin roles"), refused.body());
        assertEquals(users, userCount(realm), "no guest was created");
    }

    private static void assertRefused(ApiResponse response) {
        expect(response, 403);
        assertEquals("forbidden", response.error(), response.body());
        assertTrue(response.json().get("error_description").asText().contains("anonymous"), response.body());
    }

    private static String guest(TestRealm realm) {
        return Jwt.claims(expect(anonymousLogin(realm), 200).json().get("access_token").asText()).get("sub").asText();
    }

    private static String realmManagementId(TestRealm realm) {
        return expect(realm.admin().get(realm.adminPath("/clients?clientId=realm-management")), 200).json()
                .at("/0/id").asText();
    }

    private static String createGroup(TestRealm realm, String name) {
        String location = expect(realm.admin().post(realm.adminPath("/groups"), map("name", name)), 201)
                .header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
