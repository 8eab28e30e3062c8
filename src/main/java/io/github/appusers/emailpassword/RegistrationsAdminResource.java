package io.github.appusers.emailpassword;

import java.util.Locale;
import java.util.Map;

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

    /** Confirms a pending registration by hand; confirming a confirmed user changes nothing. */
    @POST
    @Path("by-email/{email}/confirm")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> confirm(@PathParam("email") String email) {
        auth.users().requireManage();
        UserModel user = user(email);
        auth.users().requireManage(user);
        boolean wasPending = PendingConfirmation.isPending(user);
        new ConfirmationWorkflow(session, realm, new EmailPasswordAccounts(session, realm).settings()).confirm(user);
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
        UserModel user = user(email);
        auth.users().requireManage(user);
        if (!PendingConfirmation.isPending(user)) {
            throw AppUsersError.conflict("not_pending", "This user's registration is already confirmed");
        }
        ConfirmationWorkflow.Outcome outcome = new ConfirmationWorkflow(session, realm,
                new EmailPasswordAccounts(session, realm).settings()).run(user);
        adminEvent.operation(OperationType.ACTION).resource("APP_USERS_REGISTRATION")
                .resourcePath(session.getContext().getUri()).success();
        return Map.of("id", user.getId(), "status", outcome == ConfirmationWorkflow.Outcome.CONFIRMED ? "confirmed"
                : outcome == ConfirmationWorkflow.Outcome.PENDING ? "pending-confirmation" : "failed");
    }

    private UserModel user(String email) {
        return new EmailPasswordAccounts(session, realm).findByEmail(email.trim().toLowerCase(Locale.ROOT))
                .orElseThrow(() -> AppUsersError.notFound("No user with this email"));
    }
}
