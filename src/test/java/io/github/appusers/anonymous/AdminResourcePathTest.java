package io.github.appusers.anonymous;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.appusers.anonymous.AdminResourcePath.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The resource paths of Keycloak 26's admin events (realm-relative, as AdminEventBuilder writes
 * them from the request URI) read as the change they are.
 */
class AdminResourcePathTest {

    private static final String USER = "5f0c3a52-95e1-4a3b-9f63-0c7a1d2b3e4f";
    private static final String GROUP = "a1b2c3d4-0000-4000-8000-000000000001";
    private static final String CLIENT = "c0ffee00-1111-4222-8333-444455556666";
    private static final String ROLE_ID = "d00df00d-aaaa-4bbb-8ccc-dddddddddddd";

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        // Role mappings of a user: realm roles, client roles, the composite view.
        "users/" + USER + "/role-mappings/realm,                          USER,          " + USER + ", -",
        "users/" + USER + "/role-mappings/clients/" + CLIENT + ",          USER,          " + USER + ", -",
        "users/" + USER + "/role-mappings,                                USER,          " + USER + ", -",
        // Joining a group.
        "users/" + USER + "/groups/" + GROUP + ",                         USER,          " + USER + ", -",
        // Role mappings of a group, and the group itself (renamed, moved, given a child).
        "groups/" + GROUP + "/role-mappings/realm,                        GROUP,         " + GROUP + ", -",
        "groups/" + GROUP + "/role-mappings/clients/" + CLIENT + ",        GROUP,         " + GROUP + ", -",
        "groups/" + GROUP + ",                                            GROUP,         " + GROUP + ", -",
        "groups/" + GROUP + "/children,                                   GROUP,         " + GROUP + ", -",
        // Composites of a realm role by name, the realm's default roles among them.
        "roles/app-admin/composites,                                      REALM_ROLE,    app-admin, -",
        "roles/default-roles-shop/composites,                             REALM_ROLE,    default-roles-shop, -",
        "roles/app-admin/composites/clients/" + CLIENT + ",                REALM_ROLE,    app-admin, -",
        "roles/app-admin,                                                 REALM_ROLE,    app-admin, -",
        // Composites of a role by id: what the admin console's default roles tab changes.
        "roles-by-id/" + ROLE_ID + "/composites,                           ROLE_BY_ID,    " + ROLE_ID + ", -",
        "roles-by-id/" + ROLE_ID + ",                                      ROLE_BY_ID,    " + ROLE_ID + ", -",
        // Composites of a client role.
        "clients/" + CLIENT + "/roles/manage-users/composites,             CLIENT_ROLE,   " + CLIENT + ", manage-users",
        "clients/" + CLIENT + "/roles/manage-users,                        CLIENT_ROLE,   " + CLIENT + ", manage-users",
        // Other changes of a client.
        "clients/" + CLIENT + ",                                           CLIENT,        " + CLIENT + ", -",
        "clients/" + CLIENT + "/scope-mappings/realm,                      CLIENT,        " + CLIENT + ", -",
        "clients/" + CLIENT + "/roles,                                     CLIENT,        " + CLIENT + ", -",
        // A default group: every new user joins it.
        "default-groups/" + GROUP + ",                                    DEFAULT_GROUP, " + GROUP + ", -",
    })
    void pathsThatCanGiveARoleNameTheirResource(String path, Kind kind, String id, String roleName) {
        assertEquals(new AdminResourcePath(kind, id, roleName), AdminResourcePath.parse(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "/", "users", "groups", "default-groups", "roles-by-id",
        // A realm update names the realm alone.
        "shop",
        "client-scopes/" + CLIENT + "/scope-mappings/realm",
        "identity-provider/instances/google",
        "components/" + CLIENT,
        "attack-detection/brute-force/users/" + USER,
    })
    void otherPathsNameNothingThatGivesARole(String path) {
        assertEquals(new AdminResourcePath(Kind.OTHER, null, null), AdminResourcePath.parse(path));
    }
}
