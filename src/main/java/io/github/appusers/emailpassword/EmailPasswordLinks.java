package io.github.appusers.emailpassword;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.common.RateLimiter;
import io.github.appusers.common.RequestFields;
import io.github.appusers.settings.AppUsersSettings;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * The email/password rules, for linking an email/password identity to an existing user: the same
 * checks as registration, and the realm's confirmation mode: the address is only claimed until
 * the claim is confirmed, which is when the identity appears.
 */
public final class EmailPasswordLinks {

    /** What linking an address did. */
    public enum Claim {
        /** The address is the user's, with its identity ({@code auto}, or the function's success). */
        TAKEN,
        /** The address is claimed; the identity appears once the emailed link (or the function) confirms it. */
        PENDING,
        /** The confirmation function refused the address (or failed); nothing may stay written. */
        REFUSED
    }

    private EmailPasswordLinks() {
    }

    public static String email(JsonNode request) {
        return RequestFields.email(request);
    }

    /** The request's password, checked against the 6–128 rule and the realm's policy. */
    public static String password(KeycloakSession session, JsonNode request, String email) {
        String password = RequestFields.requiredText(request, "password", 1024);
        new EmailPasswordGuards(new EmailPasswordFlow(session, session.getContext().getRealm()))
                .checkPassword(email, password);
        return password;
    }

    /**
     * Link attempts count like registrations: against the per-client-address hourly quota (kind
     * {@code link}), and, where a link mails a confirmation, against the address's email cooldown.
     * Otherwise one guest could mail an address without end, or probe addresses without bound.
     * Checked before the address's owner is looked at, so owned and free addresses count alike.
     */
    public static void requireAttemptAllowed(KeycloakSession session, RealmModel realm, String email) {
        AppUsersSettings.EmailPassword settings = new EmailPasswordFlow(session, realm).settings;
        Cooldowns cooldowns = new Cooldowns(session, realm);
        RateLimiter.Decision decision = cooldowns.tryClient("link", settings.maxRequestsPerIpPerHour);
        if (!decision.allowed()) {
            throw AppUsersError.rateLimited("Too many requests from this address; try again later",
                    decision.retryAfterSeconds());
        }
        if (settings.confirmation == AppUsersSettings.ConfirmationMode.EMAIL
                && !cooldowns.tryEmail(email, settings.resendCooldownSeconds)) {
            throw new AppUsersError(429, ErrorCodes.RATE_LIMITED, "An email to this address was sent recently; try"
                    + " again in up to " + settings.resendCooldownSeconds + " seconds");
        }
    }

    /** True when a user other than {@code user} owns the address (pending claims and holders own nothing). */
    public static boolean ownedByAnother(KeycloakSession session, RealmModel realm, String email, UserModel user) {
        return new EmailClaims(session, realm).confirmedOwner(email, user).isPresent();
    }

    /**
     * Sets the password, then runs the realm's confirmation for the user's claim of the address.
     * The user is not made pending: a guest stays a guest until the claim is confirmed.
     *
     * @throws io.github.appusers.common.AppUsersError {@code 409 identity_in_use} when the address
     *         has another owner by the time it is taken
     */
    public static Claim setPasswordAndClaim(KeycloakSession session, RealmModel realm, UserModel user, String email,
            String password) {
        user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
        EmailPasswordFlow flow = new EmailPasswordFlow(session, realm);
        return switch (new ConfirmationWorkflow(session, realm, flow.settings).run(user, email)) {
            case CONFIRMED -> Claim.TAKEN;
            case PENDING -> Claim.PENDING;
            case FAILED -> Claim.REFUSED;
        };
    }

    public static void removePassword(UserModel user) {
        user.credentialManager().getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE)
                .map(CredentialModel::getId).toList()
                .forEach(id -> user.credentialManager().removeStoredCredentialById(id));
    }
}
