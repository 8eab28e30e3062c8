package io.github.appusers.anonymous;

/**
 * What an admin event's resource path (relative to the realm, as Keycloak's admin events name it)
 * changes, as far as admin roles of anonymous users go: the kind of resource and its ids, read
 * from the path alone.
 *
 * @param id the user, group, role-by-id or client id, or the realm role's name
 * @param roleName the client role's name, for {@code clients/{id}/roles/{name}/...}; else null
 */
record AdminResourcePath(Kind kind, String id, String roleName) {

    enum Kind {
        /** {@code users/{id}/role-mappings/...}, {@code users/{id}/groups/{group}}. */
        USER,
        /** {@code groups/{id}/role-mappings/...} and the group itself. */
        GROUP,
        /** {@code roles/{name}/composites} and the realm role itself. */
        REALM_ROLE,
        /** {@code roles-by-id/{id}/composites} and the role itself. */
        ROLE_BY_ID,
        /** {@code clients/{id}/roles/{name}/composites} and the client role itself. */
        CLIENT_ROLE,
        /** Any other path under {@code clients/{id}}. */
        CLIENT,
        /** {@code default-groups/{id}}. */
        DEFAULT_GROUP,
        /** A path that can give nobody a role. */
        OTHER
    }

    static AdminResourcePath parse(String resourcePath) {
        String[] path = resourcePath.split("/");
        if (path.length < 2) {
            return new AdminResourcePath(Kind.OTHER, null, null);
        }
        return switch (path[0]) {
            case "users" -> new AdminResourcePath(Kind.USER, path[1], null);
            case "groups" -> new AdminResourcePath(Kind.GROUP, path[1], null);
            case "roles" -> new AdminResourcePath(Kind.REALM_ROLE, path[1], null);
            case "roles-by-id" -> new AdminResourcePath(Kind.ROLE_BY_ID, path[1], null);
            case "clients" -> path.length >= 4 && "roles".equals(path[2])
                    ? new AdminResourcePath(Kind.CLIENT_ROLE, path[1], path[3])
                    : new AdminResourcePath(Kind.CLIENT, path[1], null);
            case "default-groups" -> new AdminResourcePath(Kind.DEFAULT_GROUP, path[1], null);
            default -> new AdminResourcePath(Kind.OTHER, null, null);
        };
    }
}
