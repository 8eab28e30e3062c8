package io.github.appusers.emailpassword;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.github.appusers.common.AppUsersError;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** {@code /admin/realms/{realm}/app-users/registrations/by-email/{email}/...}: unstick pending users. */
public final class RegistrationsAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    public RegistrationsAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
            AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    /**
     * Confirms a pending registration by hand; confirming a confirmed user changes nothing. The
     * address is not marked verified: nobody proved control of the mailbox (an admin who knows
     * better sets {@code emailVerified} through Keycloak's user API).
     */
    @POST
    @Path("by-email/{email}/confirm")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> confirm(@PathParam("email") String email) {
        auth.users().requireManage();
        String address = address(email);
        UserModel user = user(address);
        auth.users().requireManage(user);
        boolean wasPending = PendingConfirmation.isPending(user) || claims(user, address);
        if (wasPending) {
            new EmailClaims(session, realm).take(user, address, false);
        }
        adminEvent.operation(OperationType.ACTION).resource("APP_USERS_REGISTRATION")
                .resourcePath(session.getContext().getUri()).success();
        return Map.of("id", user.getId(), "status", "confirmed", "was_pending", Boolean.toString(wasPending));
    }

    /** Runs the realm's current confirmation workflow again (email, function or auto). */
    @POST
    @Path("by-email/{email}/run-confirm")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> runConfirm(@PathParam("email") String email) {
        auth.users().requireManage();
        String address = address(email);
        UserModel user = user(address);
        auth.users().requireManage(user);
        if (!PendingConfirmation.isPending(user) && !claims(user, address)) {
            throw AppUsersError.conflict("not_pending", "This user's registration is already confirmed");
        }
        ConfirmationWorkflow.Outcome outcome = new ConfirmationWorkflow(session, realm,
                new EmailPasswordFlow(session, realm).settings).run(user, address);
        adminEvent.operation(OperationType.ACTION).resource("APP_USERS_REGISTRATION")
                .resourcePath(session.getContext().getUri()).success();
        return Map.of("id", user.getId(), "status", outcome == ConfirmationWorkflow.Outcome.CONFIRMED ? "confirmed"
                : outcome == ConfirmationWorkflow.Outcome.PENDING ? "pending-confirmation" : "failed");
    }

    private boolean claims(UserModel user, String address) {
        return address.equals(new EmailTokens(session).claimedEmail(user.getId()).orElse(null));
    }

    private static String address(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The user holding the address, else the one user with a pending claim of it. Several claims
     * (registrations that hold no address yet) are refused: the admin deletes the ones that are
     * not genuine (the users list shows each with its {@code pending_email}) and tries again.
     */
    private UserModel user(String address) {
        Optional<UserModel> holder = new EmailPasswordFlow(session, realm).findByEmail(address);
        if (holder.isPresent()) {
            return holder.get();
        }
        List<UserModel> claimants = new EmailClaims(session, realm).claimUsers(address, 2);
        if (claimants.size() > 1) {
            throw AppUsersError.conflict("ambiguous_email", "Several pending registrations claim this address;"
                    + " delete the ones that are not genuine (see app-users/users?status=pending-confirmation)");
        }
        return claimants.stream().findFirst().orElseThrow(() -> AppUsersError.notFound("No user with this email"));
    }
}
