package io.github.appusers.emailpassword;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.ErrorCodes;
import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;

/**
 * The checks before an email/password request does anything: the feature and the realm's
 * "Forgot password" switch, the per-client-address and per-recipient limits, and the password
 * rules. The limits apply to every address alike, so they reveal nothing.
 */
final class EmailPasswordGuards {

    private final EmailPasswordFlow flow;

    EmailPasswordGuards(EmailPasswordFlow flow) {
        this.flow = flow;
    }

    void requireEnabled() {
        if (!flow.settings.enabled) {
            throw AppUsersError.featureDisabled("Email/password login");
        }
    }

    /**
     * {@code 403 feature_disabled} when the realm has Keycloak's "Forgot password" switch off
     * (Realm settings, Login): our reset endpoints follow it as Keycloak's own login page does.
     * A realm setting, so telling it reveals no account.
     */
    void requireResetAllowed() {
        if (!flow.realm.isResetPasswordAllowed()) {
            throw AppUsersError.featureDisabled("Password reset (Realm settings, Login, Forgot password)");
        }
    }

    /** The per-address hourly limit of the request {@code kind} (register, resend, retry, reset). */
    void requireClientQuota(String kind, EventType eventType) {
        var decision = new Cooldowns(flow.session, flow.realm).tryClient(kind, flow.settings.maxRequestsPerIpPerHour);
        if (!decision.allowed()) {
            flow.event(eventType).detail("limit", kind + "_per_ip").error(ErrorCodes.RATE_LIMITED);
            throw AppUsersError.rateLimited("Too many requests from this address; try again later",
                    decision.retryAfterSeconds());
        }
    }

    void requireEmailCooldown(String email, EventType eventType) {
        int cooldown = flow.settings.resendCooldownSeconds;
        if (!new Cooldowns(flow.session, flow.realm).tryEmail(email, cooldown)) {
            flow.event(eventType).detail(Details.EMAIL, email).detail("limit", "email_cooldown")
                    .error(ErrorCodes.RATE_LIMITED);
            throw new AppUsersError(429, ErrorCodes.RATE_LIMITED, "An email to this address was sent recently; try again"
                    + " in up to " + cooldown + " seconds");
        }
    }

    /** Refuses a password the realm's policy (length 6 to 128 by default) does not accept. */
    void checkPassword(String email, String password) {
        checkLength(password);
        refuse(flow.session.getProvider(PasswordPolicyManagerProvider.class).validate(email, password));
    }

    /** Refuses a new password of {@code user} that the realm's policy does not accept. */
    void checkNewPassword(UserModel user, String password) {
        refuse(flow.session.getProvider(PasswordPolicyManagerProvider.class).validate(flow.realm, user, password));
    }

    /** The contract's floor and ceiling, which hold also when a realm has no password policy. */
    static void checkLength(String password) {
        if (password.length() < 6 || password.length() > 128) {
            throw new AppUsersError(400, ErrorCodes.INVALID_PASSWORD, "The password must be 6 to 128 characters long");
        }
    }

    private static void refuse(PolicyError error) {
        if (error != null) {
            throw new AppUsersError(400, ErrorCodes.INVALID_PASSWORD,
                    "The password does not meet the realm's password policy (" + error.getMessage() + ")");
        }
    }
}
