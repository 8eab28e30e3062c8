package io.github.appusers.anonymous;

import java.util.Map;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** {@code /admin/realms/{realm}/app-users/anonymous}: manage-users runs the purge now. */
public final class AnonymousAdminResource {

    private static final long DAY_MILLIS = 24L * 3600 * 1000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    public AnonymousAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
            AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    /**
     * Deletes anonymous users idle for {@code inactive_days} (default: the realm's
     * purge_inactive_days), or for {@code inactive_seconds} when given, at most {@code max_users}
     * and for at most {@code max_seconds} (never longer than the server's purge-max-seconds), and
     * says how many and whether more are left.
     */
    @POST
    @Path("purge")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> purge() {
        auth.users().requireManage();
        // Read raw, so that "?inactive_days=" (present but empty) is refused rather than ignored.
        MultivaluedMap<String, String> query = session.getContext().getUri().getQueryParameters();
        String inactiveDays = query.getFirst("inactive_days");
        String inactiveSeconds = query.getFirst("inactive_seconds");
        long idleMillis;
        if (inactiveSeconds != null) {
            idleMillis = nonNegative("inactive_seconds", inactiveSeconds) * 1000L;
        } else if (inactiveDays != null) {
            idleMillis = nonNegative("inactive_days", inactiveDays) * DAY_MILLIS;
        } else {
            idleMillis = SettingsStore.read(realm).anonymous.purgeInactiveDays * DAY_MILLIS;
        }
        String maxUsers = query.getFirst("max_users");
        int limit = maxUsers == null ? Integer.MAX_VALUE : positive("max_users", maxUsers);
        String seconds = query.getFirst("max_seconds");
        int maxSeconds = seconds == null ? Integer.MAX_VALUE : positive("max_seconds", seconds);
        long cutoff = System.currentTimeMillis() - idleMillis;
        // Bounded in time: this request's transaction is open until it answers. "more" asks for another call.
        PurgeOptions options = AnonymousEventListenerFactory.options(session);
        AnonymousPurge.Result purged = new AnonymousPurge(session.getKeycloakSessionFactory(), options.batchSize())
                .purge(realm.getId(), cutoff, limit, options.deadline(maxSeconds));
        Map<String, Object> result = Map.of("deleted", purged.deleted(), "cutoff", cutoff, "more", purged.more());
        adminEvent.operation(OperationType.ACTION).resource("APP_USERS_ANONYMOUS_PURGE")
                .resourcePath(session.getContext().getUri()).representation(result).success();
        return result;
    }

    private static int positive(String name, String value) {
        try {
            int parsed = Integer.parseInt(value == null ? "" : value);
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw AppUsersError.invalidRequest(name + " must be a whole number from 1 to " + Integer.MAX_VALUE);
        }
    }

    private static long nonNegative(String name, String value) {
        try {
            long parsed = Long.parseLong(value == null ? "" : value);
            if (parsed < 0 || parsed > 36_500L * 24 * 3600) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw AppUsersError.invalidRequest(name + " must be a non-negative whole number");
        }
    }
}
