package io.github.appusers.emailpassword;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.identity.Identity;
import io.github.appusers.identity.IdentityStore;
import io.github.appusers.identity.ProviderTypes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code GET /admin/realms/{realm}/app-users/users?status=&provider_type=&first=&max=}: users
 * with their identities and registration status. The status filter is applied while reading
 * users in Keycloak's order, so a filtered page costs a scan up to its end.
 */
public final class UsersAdminResource {

    static final Set<String> STATUSES = Set.of("pending-confirmation", "pending-first-login", "confirmed", "disabled");
    private static final int MAX_PAGE = 500;
    private static final int SCAN_PAGE = 200;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;

    public UsersAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> list(@QueryParam("status") String status,
            @QueryParam("provider_type") String providerType, @QueryParam("first") String first,
            @QueryParam("max") String max) {
        auth.users().requireView();
        if (status != null && !STATUSES.contains(status)) {
            throw AppUsersError.invalidRequest("status must be one of " + STATUSES);
        }
        int from = number("first", first, 0);
        int size = Math.min(MAX_PAGE, number("max", max, 100));
        IdentityStore identities = new IdentityStore(session);
        Stream<UserModel> users;
        if (providerType != null) {
            if (!ProviderTypes.isStored(providerType)) {
                throw AppUsersError.invalidRequest("provider_type must be one of anon-user, local-userpass, "
                        + "custom-function, custom-token, api-key");
            }
            // Read in pages, lazily: only as far as the requested page needs.
            users = Stream.iterate(0, offset -> offset + SCAN_PAGE)
                    .map(offset -> identities.ofType(realm, providerType, offset, SCAN_PAGE))
                    .takeWhile(page -> !page.isEmpty())
                    .flatMap(List::stream)
                    .map(identity -> session.users().getUserById(realm, identity.getUserId()))
                    .filter(user -> user != null).distinct();
        } else {
            users = session.users().searchForUserStream(realm, Map.of(UserModel.INCLUDE_SERVICE_ACCOUNT, "false"));
        }
        return users.map(user -> view(identities, user))
                .filter(view -> status == null || status.equals(view.get("status")))
                .skip(from).limit(size).toList();
    }

    private Map<String, Object> view(IdentityStore identities, UserModel user) {
        List<Identity> list = identities.list(realm, user);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", user.getId());
        view.put("username", user.getUsername());
        view.put("email", user.getEmail());
        // A registration or link waiting for confirmation holds no address yet: the one it claims.
        view.put("pending_email", new EmailTokens(session).claimedEmail(user.getId()).orElse(null));
        view.put("status", status(user, list));
        view.put("identities", list);
        view.put("created_at", user.getCreatedTimestamp());
        return view;
    }

    static String status(UserModel user, List<Identity> identities) {
        if (!user.isEnabled()) {
            return "disabled";
        }
        if (PendingConfirmation.isPending(user)) {
            return "pending-confirmation";
        }
        boolean neverLoggedIn = identities.stream().anyMatch(i -> ProviderTypes.LOCAL_USERPASS.equals(i.providerType)
                && i.lastUsedAt == null);
        return neverLoggedIn ? "pending-first-login" : "confirmed";
    }

    private static int number(String name, String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw AppUsersError.invalidRequest(name + " must be a non-negative whole number");
        }
    }
}
