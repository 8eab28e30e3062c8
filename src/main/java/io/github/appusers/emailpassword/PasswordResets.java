package io.github.appusers.emailpassword;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.common.AdminUsers;
import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.common.UserSessions;
import io.github.appusers.functions.FunctionClient;
import io.github.appusers.functions.FunctionDefinition;
import io.github.appusers.functions.FunctionException;
import io.github.appusers.functions.FunctionRegistry;
import io.github.appusers.settings.AppUsersSettings.ResetMode;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * Password reset by emailed link or by the realm's reset function. Some users get no reset
 * ({@link #refusal}); the answers stay the same for them and for unknown addresses, and a reset
 * ends all the user's sessions.
 */
final class PasswordResets {

    private final EmailPasswordFlow flow;
    private final KeycloakSession session;
    private final RealmModel realm;

    PasswordResets(EmailPasswordFlow flow) {
        this.flow = flow;
        this.session = flow.session;
        this.realm = flow.realm;
    }

    /**
     * Sends a reset email to a registered address whose user may reset a password here. An
     * address whose only user is a pending claim gets a reset link for it: using it confirms that
     * claim, since the link reached the mailbox. A contested address (several registrations wait
     * for it) gets none: a reset link cannot tell the owner's registration from a stranger's, so
     * only a confirmation with the claim's password decides ({@link EmailClaims#contested}).
     */
    void send(String email) {
        Optional<UserModel> holder = flow.findByEmail(email);
        holder.filter(UserModel::isEnabled).ifPresent(user -> {
            if (!refused(user, email, EventType.SEND_RESET_PASSWORD)) {
                new ConfirmationWorkflow(session, realm, flow.settings).sendReset(user, user.getEmail());
                flow.event(EventType.SEND_RESET_PASSWORD).user(user).detail(Details.EMAIL, email).success();
            }
        });
        if (holder.isEmpty()) {
            for (UserModel claimant : new EmailClaims(session, realm).claimUsers(email, EmailClaims.MAX_PER_ADDRESS)) {
                if (claimant.isEnabled() && !refused(claimant, email, EventType.SEND_RESET_PASSWORD)) {
                    new ConfirmationWorkflow(session, realm, flow.settings).sendReset(claimant, email);
                    flow.event(EventType.SEND_RESET_PASSWORD).user(claimant).detail(Details.EMAIL, email).success();
                }
            }
        }
    }

    /**
     * Sets a new password with a valid reset token and ends the user's sessions. An emailed link
     * reached the mailbox, so an address that was not verified before is verified now (a pending
     * claim of it is confirmed); the account's other identities were added while it was not, so
     * they are reported (see {@link VerifiedByReset}). A token the reset function got proves
     * nothing about the mailbox: it sets the password and nothing else.
     */
    void reset(String tokenId, String token, String password) {
        EventBuilder event = flow.event(EventType.RESET_PASSWORD);
        EmailPasswordGuards.checkLength(password);
        EmailTokens.Consumed consumed = new EmailTokens(session).consume(realm, tokenId, token, EmailTokens.RESET,
                flow.settings.reset == ResetMode.FUNCTION ? EmailTokens.Delivery.FUNCTION : EmailTokens.Delivery.EMAIL);
        UserModel user = flow.userOf(consumed, event);
        new EmailPasswordGuards(flow).checkNewPassword(user, password);
        String email = consumed.email() != null ? consumed.email() : user.getEmail();
        boolean wasVerified = email != null && email.equals(user.getEmail()) && user.isEmailVerified();
        boolean verifies = consumed.emailed() && email != null && !wasVerified;
        boolean takesClaim = verifies && (email.equals(new EmailTokens(session).claimedEmail(user.getId()).orElse(null))
                || PendingConfirmation.isPending(user) && email.equals(user.getEmail()));
        event.user(user).detail(EmailPasswordFlow.TOKEN_DELIVERY, consumed.delivery().stored());
        if (takesClaim && new EmailClaims(session, realm).contested(email, user)) {
            // A link sent before a rival claim appeared: it cannot tell whose registration this is.
            event.error(ErrorCodes.PASSWORD_REQUIRED);
            throw new AppUsersError(400, ErrorCodes.PASSWORD_REQUIRED, "Other registrations claim this email address"
                    + " too; a reset cannot confirm one: confirm the registration from its confirmation email with"
                    + " the password chosen for it");
        }
        int sessionsEnded = setPasswordAndLogOut(user, password);
        if (verifies) {
            if (takesClaim) {
                flow.takeOrDrop(user, email, true, event);
            } else if (email.equals(user.getEmail())) {
                user.setEmailVerified(true);
            }
            if (email.equals(user.getEmail())) {
                new VerifiedByReset(session, realm).report(user, email, sessionsEnded, event);
            }
        }
        event.success();
    }

    /** Runs the realm's reset function; on success the password is set. */
    void resetWithFunction(String email, String password, JsonNode arguments) {
        if (flow.settings.reset != ResetMode.FUNCTION) {
            throw AppUsersError.invalidRequest("This realm does not reset passwords with a function");
        }
        new EmailPasswordGuards(flow).checkPassword(email, password);
        Optional<FunctionDefinition> function = new FunctionRegistry(session, realm)
                .find(flow.settings.resetFunction, FunctionDefinition.Kind.reset);
        if (function.isEmpty()) {
            throw new AppUsersError(502, ErrorCodes.FUNCTION_FAILED, "The realm's reset function is not configured");
        }
        Optional<UserModel> found = flow.findByEmail(email).filter(UserModel::isEnabled);
        if (found.isEmpty() || refused(found.get(), email, EventType.RESET_PASSWORD)) {
            return;
        }
        UserModel user = found.get();
        EventBuilder event = flow.event(EventType.RESET_PASSWORD).user(user).detail("function", function.get().name);
        EmailTokens.Issued issued = new EmailTokens(session).issue(realm, user, EmailTokens.RESET,
                flow.settings.tokenTtlSeconds, user.getEmail(), EmailTokens.Delivery.FUNCTION);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("email", email);
        request.put("password", password);
        request.put("token", issued.token());
        request.put("token_id", issued.tokenId());
        request.put("arguments", arguments);
        try {
            JsonNode answer = new FunctionClient(session).call(function.get(), request);
            if ("success".equals(answer.path("status").asText())) {
                new EmailTokens(session).remove(user.getId(), EmailTokens.RESET);
                setPasswordAndLogOut(user, password);
                event.success();
            } else {
                event.error("reset_" + answer.path("status").asText("fail"));
            }
        } catch (FunctionException e) {
            event.error(e.error());
        }
    }

    /**
     * Why {@code user} may not reset a password through us, or null. Answers stay the same either
     * way (no enumeration); only the audit event tells. A reset would give a user without a
     * password one (taking over a guest's or a function login's account by its email), would
     * bypass a user federation provider that owns the password, or would make an admin's mailbox
     * the key to admin rights.
     */
    private String refusal(UserModel user, String email) {
        if (user.getFederationLink() != null) {
            return "the user belongs to a user federation provider";
        }
        if (AdminUsers.holdsAdminRole(realm, user)) {
            return "the user holds an admin role";
        }
        if (!user.credentialManager().isConfiguredFor(PasswordCredentialModel.TYPE)) {
            return "the user has no password";
        }
        boolean waiting = PendingConfirmation.isPending(user) || !email.equalsIgnoreCase(String.valueOf(user.getEmail()));
        if (waiting && new EmailClaims(session, realm).contested(email, user)) {
            return "other registrations claim the address";
        }
        return null;
    }

    /** True when a reset is refused for {@code user}; an error event of {@code type} says why. */
    private boolean refused(UserModel user, String email, EventType type) {
        String refusal = refusal(user, email);
        if (refusal != null) {
            flow.event(type).user(user).detail(Details.EMAIL, email).detail(Details.REASON, refusal)
                    .error(Errors.NOT_ALLOWED);
        }
        return refusal != null;
    }

    /** Returns the number of sessions it ended. */
    private int setPasswordAndLogOut(UserModel user, String password) {
        user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
        return UserSessions.endAll(session, realm, user);
    }
}
