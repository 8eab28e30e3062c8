package io.github.appusers.emailpassword;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.common.AdminUsers;
import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.AppUsersEvents;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.common.NulChars;
import io.github.appusers.common.UserSessions;
import io.github.appusers.functions.FunctionClient;
import io.github.appusers.functions.FunctionDefinition;
import io.github.appusers.functions.FunctionException;
import io.github.appusers.functions.FunctionRegistry;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.core.Response;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;

/**
 * Email/password accounts without the browser (docs/email-password.md). Answers never depend on
 * whether an address is registered: same status, same body, and the same expensive work (a
 * password hash) on both paths; emails leave after the response.
 */
final class EmailPasswordAccounts {

    static final String FLOW = "email-password";
    /** Event detail: how the used token was delivered, {@code email} or {@code function}. */
    static final String TOKEN_DELIVERY = "token_delivery";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AppUsersSettings.EmailPassword settings;

    EmailPasswordAccounts(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.settings = SettingsStore.read(realm).emailPassword;
    }

    AppUsersSettings.EmailPassword settings() {
        return settings;
    }

    void requireEnabled() {
        if (!settings.enabled) {
            throw AppUsersError.featureDisabled("Email/password login");
        }
    }

    /**
     * {@code 403 feature_disabled} when the realm has Keycloak's "Forgot password" switch off
     * (Realm settings, Login): our reset endpoints follow it as Keycloak's own login page does.
     * A realm setting, so telling it reveals no account.
     */
    void requireResetAllowed() {
        if (!realm.isResetPasswordAllowed()) {
            throw AppUsersError.featureDisabled("Password reset (Realm settings, Login, Forgot password)");
        }
    }

    /** The per-address hourly limit of the request {@code kind} (register, resend, retry, reset). */
    void requireClientQuota(String kind, EventType eventType) {
        var decision = new Cooldowns(session, realm).tryClient(kind, settings.maxRequestsPerIpPerHour);
        if (!decision.allowed()) {
            event(eventType).detail("limit", kind + "_per_ip").error(ErrorCodes.RATE_LIMITED);
            throw AppUsersError.rateLimited("Too many requests from this address; try again later",
                    decision.retryAfterSeconds());
        }
    }

    void requireEmailCooldown(String email, EventType eventType) {
        if (!new Cooldowns(session, realm).tryEmail(email, settings.resendCooldownSeconds)) {
            event(eventType).detail(Details.EMAIL, email).detail("limit", "email_cooldown").error(ErrorCodes.RATE_LIMITED);
            throw new AppUsersError(429, ErrorCodes.RATE_LIMITED, "An email to this address was sent recently; try again"
                    + " in up to " + settings.resendCooldownSeconds + " seconds");
        }
    }

    /** Refuses a password the realm's policy (length 6 to 128 by default) does not accept. */
    void checkPassword(String email, String password) {
        checkLength(password);
        PolicyError error = session.getProvider(PasswordPolicyManagerProvider.class).validate(email, password);
        if (error != null) {
            throw new AppUsersError(400, ErrorCodes.INVALID_PASSWORD,
                    "The password does not meet the realm's password policy (" + error.getMessage() + ")");
        }
    }

    /** The contract's floor and ceiling, which hold also when a realm has no password policy. */
    private static void checkLength(String password) {
        if (password.length() < 6 || password.length() > 128) {
            throw new AppUsersError(400, ErrorCodes.INVALID_PASSWORD, "The password must be 6 to 128 characters long");
        }
    }

    /**
     * Registers a pending claim of the address, or, for an address with a confirmed owner, does the
     * same work and nothing else. The new user holds neither the address nor its identity until
     * the claim is confirmed, so a pending claim never blocks the address's real owner.
     */
    void register(String email, String password) {
        EventBuilder event = event(EventType.REGISTER).detail(Details.EMAIL, email).detail(Details.REGISTER_METHOD, FLOW);
        try {
            checkPassword(email, password);
        } catch (AppUsersError e) {
            event.error(e.error());
            throw e;
        }
        if (new EmailClaims(session, realm).confirmedOwner(email, null).isPresent()) {
            spendAHash(password);
            event.error("email_in_use");
            return;
        }
        UserModel user = session.users().addUser(realm, EmailClaims.generatedUsername());
        user.setEnabled(true);
        user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
        PendingConfirmation.mark(user);
        event.user(user);
        ConfirmationWorkflow.Outcome outcome;
        try {
            outcome = new ConfirmationWorkflow(session, realm, settings).run(user, email);
        } catch (AppUsersError e) {
            if (!ErrorCodes.IDENTITY_IN_USE.equals(e.error())) {
                throw e;
            }
            // A concurrent confirmation of the same address won; answer as for a registered one.
            session.getTransactionManager().setRollbackOnly();
            event.error("email_in_use");
            return;
        }
        if (outcome == ConfirmationWorkflow.Outcome.FAILED && "function".equals(settings.confirmation)) {
            // The function said no: the registration does not stand.
            new UserManager(session).removeUser(realm, user);
            event.error("confirmation_failed");
            return;
        }
        event.detail("confirmation", outcome.name().toLowerCase(Locale.ROOT)).success();
    }

    /**
     * Confirms the claim of a valid confirmation token: its user takes the address, verified when
     * the token was emailed (the link reached the mailbox), unverified when the confirmation
     * function got it (it proves nothing about the mailbox). When other claims of the address wait
     * too, the claim's own password is needed ({@link #requirePasswordWhenContested}). When another
     * user confirmed the address first, {@code 409 identity_in_use}, and the claim is dropped (with
     * its user, when that was only a registration).
     *
     * @param password the password of the claim's user, or null
     */
    void confirm(String tokenId, String token, String password) {
        EventBuilder event = event(EventType.VERIFY_EMAIL);
        EmailTokens.Consumed consumed = new EmailTokens(session).consume(realm, tokenId, token, EmailTokens.CONFIRM);
        UserModel user = checked(consumed, event);
        String email = consumed.email() != null ? consumed.email() : user.getEmail();
        if (email == null) {
            event.error("invalid_code");
            throw new AppUsersError(400, ErrorCodes.INVALID_TOKEN, "The link is invalid or was already used");
        }
        event.user(user).detail(Details.EMAIL, email).detail(TOKEN_DELIVERY, consumed.delivery().stored());
        requirePasswordWhenContested(user, email, password, event);
        takeOrDrop(user, email, consumed.emailed(), event);
        event.success();
    }

    /**
     * {@code 400 password_required} unless {@code password} is the claim's own, when other users
     * claim the address too. The mailbox gets every claim's link: one may be a stranger's, who
     * registered the address with a password of his own, and clicking it must not give him the
     * address. The refusal rolls the request back, so the token stays valid. Without a rival claim,
     * or once someone owns the address (the claim then loses anyway), no password is needed.
     */
    private void requirePasswordWhenContested(UserModel user, String email, String password, EventBuilder event) {
        EmailClaims claims = new EmailClaims(session, realm);
        boolean contested = claims.confirmedOwner(email, user).isEmpty()
                && claims.claimants(email).stream().anyMatch(other -> !other.getId().equals(user.getId()));
        if (!contested || (password != null
                && user.credentialManager().isValid(UserCredentialModel.password(password)))) {
            return;
        }
        event.error(ErrorCodes.PASSWORD_REQUIRED);
        throw new AppUsersError(400, ErrorCodes.PASSWORD_REQUIRED, "Other registrations claim this email address too;"
                + " confirm with the password chosen for this registration (password)");
    }

    private void takeOrDrop(UserModel user, String email, boolean verified, EventBuilder event) {
        EmailClaims claims = new EmailClaims(session, realm);
        try {
            claims.take(user, email, verified);
        } catch (AppUsersError e) {
            if (ErrorCodes.IDENTITY_IN_USE.equals(e.error())) {
                claims.dropAfterLoss(user, email);
                event.error(e.error());
            }
            throw e;
        }
    }

    /**
     * A new confirmation email (new token, earlier ones invalid) for each pending claim of the
     * address (a few at most), unless the address has a confirmed owner.
     */
    void resend(String email) {
        if ("function".equals(settings.confirmation)) {
            return;
        }
        forEachClaimant(email, user -> {
            new ConfirmationWorkflow(session, realm, settings).run(user, email);
            event(EventType.SEND_VERIFY_EMAIL).user(user).detail(Details.EMAIL, email).success();
        });
    }

    /** Runs the confirmation function again for each pending claim of the address. */
    void retryFunction(String email) {
        if (!"function".equals(settings.confirmation)) {
            throw AppUsersError.invalidRequest("This realm does not confirm registrations with a function");
        }
        forEachClaimant(email, user -> new ConfirmationWorkflow(session, realm, settings).run(user, email));
    }

    /** Stops once a claimant took the address (auto mode, a function's success): the others lost. */
    private void forEachClaimant(String email, Consumer<UserModel> work) {
        EmailClaims claims = new EmailClaims(session, realm);
        for (UserModel user : claims.claimants(email)) {
            if (claims.confirmedOwner(email, null).isPresent()) {
                return;
            }
            work.accept(user);
        }
    }

    /**
     * Sends a reset email to a registered address whose user may reset a password here. An
     * address whose only users are pending claims gets a reset link per claim (a few at most):
     * using one confirms that claim, since the link reached the mailbox.
     */
    void sendReset(String email) {
        Optional<UserModel> holder = findByEmail(email);
        holder.filter(UserModel::isEnabled).ifPresent(user -> {
            if (refusedReset(user, email)) {
                return;
            }
            new ConfirmationWorkflow(session, realm, settings).sendReset(user, user.getEmail());
            event(EventType.SEND_RESET_PASSWORD).user(user).detail(Details.EMAIL, email).success();
        });
        if (holder.isEmpty()) {
            for (UserModel claimant : new EmailClaims(session, realm).claimUsers(email, EmailClaims.MAX_PER_ADDRESS)) {
                if (claimant.isEnabled() && !refusedReset(claimant, email)) {
                    new ConfirmationWorkflow(session, realm, settings).sendReset(claimant, email);
                    event(EventType.SEND_RESET_PASSWORD).user(claimant).detail(Details.EMAIL, email).success();
                }
            }
        }
    }

    /**
     * Why {@code user} may not reset a password through us, or null. Answers stay the same either
     * way (no enumeration); only the audit event tells. A reset would give a user without a
     * password one (taking over a guest's or a function login's account by its email), would
     * bypass a user federation provider that owns the password, or would make an admin's mailbox
     * the key to admin rights.
     */
    private String resetRefusal(UserModel user) {
        if (user.getFederationLink() != null) {
            return "the user belongs to a user federation provider";
        }
        if (AdminUsers.holdsAdminRole(realm, user)) {
            return "the user holds an admin role";
        }
        if (!user.credentialManager().isConfiguredFor(PasswordCredentialModel.TYPE)) {
            return "the user has no password";
        }
        return null;
    }

    /** True when a reset is refused for {@code user}; an error event says why, the answer stays the same. */
    private boolean refusedReset(UserModel user, String email) {
        String refusal = resetRefusal(user);
        if (refusal != null) {
            event(EventType.SEND_RESET_PASSWORD).user(user).detail(Details.EMAIL, email)
                    .detail(Details.REASON, refusal).error(Errors.NOT_ALLOWED);
        }
        return refusal != null;
    }

    /**
     * Sets a new password with a valid reset token and ends the user's sessions. An emailed link
     * reached the mailbox, so an address that was not verified before is verified now (a pending
     * claim of it is confirmed); the account's other identities were added while it was not, so
     * they are reported (see {@link VerifiedByReset}). A token the reset function got proves
     * nothing about the mailbox: it sets the password and nothing else.
     */
    void reset(String tokenId, String token, String password) {
        EventBuilder event = event(EventType.RESET_PASSWORD);
        checkLength(password);
        EmailTokens.Consumed consumed = new EmailTokens(session).consume(realm, tokenId, token, EmailTokens.RESET);
        UserModel user = checked(consumed, event);
        PolicyError error = session.getProvider(PasswordPolicyManagerProvider.class).validate(realm, user, password);
        if (error != null) {
            session.getTransactionManager().setRollbackOnly();
            throw new AppUsersError(400, ErrorCodes.INVALID_PASSWORD,
                    "The password does not meet the realm's password policy (" + error.getMessage() + ")");
        }
        String email = consumed.email() != null ? consumed.email() : user.getEmail();
        boolean wasVerified = email != null && email.equals(user.getEmail()) && user.isEmailVerified();
        int sessionsEnded = setPasswordAndLogOut(user, password);
        event.user(user).detail(TOKEN_DELIVERY, consumed.delivery().stored());
        if (consumed.emailed() && email != null && !wasVerified) {
            boolean claimed = email.equals(new EmailTokens(session).claimedEmail(user.getId()).orElse(null));
            if (claimed || PendingConfirmation.isPending(user) && email.equals(user.getEmail())) {
                takeOrDrop(user, email, true, event);
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
        if (!"function".equals(settings.reset)) {
            throw AppUsersError.invalidRequest("This realm does not reset passwords with a function");
        }
        checkPassword(email, password);
        Optional<FunctionDefinition> function = new FunctionRegistry(session, realm)
                .find(settings.resetFunction, FunctionDefinition.Kind.reset);
        if (function.isEmpty()) {
            throw new AppUsersError(502, ErrorCodes.FUNCTION_FAILED, "The realm's reset function is not configured");
        }
        Optional<UserModel> user = findByEmail(email).filter(UserModel::isEnabled);
        if (user.isEmpty()) {
            return;
        }
        String refusal = resetRefusal(user.get());
        if (refusal != null) {
            event(EventType.RESET_PASSWORD).user(user.get()).detail(Details.EMAIL, email)
                    .detail(Details.REASON, refusal).error(Errors.NOT_ALLOWED);
            return;
        }
        EventBuilder event = event(EventType.RESET_PASSWORD).user(user.get()).detail("function", function.get().name);
        EmailTokens.Issued issued = new EmailTokens(session).issue(realm, user.get(), EmailTokens.RESET,
                settings.tokenTtlSeconds, user.get().getEmail(), EmailTokens.Delivery.FUNCTION);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("email", email);
        request.put("password", password);
        request.put("token", issued.token());
        request.put("token_id", issued.tokenId());
        request.put("arguments", arguments);
        try {
            JsonNode answer = new FunctionClient(session).call(function.get(), request);
            if ("success".equals(answer.path("status").asText())) {
                new EmailTokens(session).remove(user.get().getId(), EmailTokens.RESET);
                setPasswordAndLogOut(user.get(), password);
                event.success();
            } else {
                event.error("reset_" + answer.path("status").asText("fail"));
            }
        } catch (FunctionException e) {
            event.error(e.error());
        }
    }

    /** Returns the number of sessions it ended. */
    private int setPasswordAndLogOut(UserModel user, String password) {
        user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
        return UserSessions.endAll(session, realm, user);
    }

    private UserModel checked(EmailTokens.Consumed consumed, EventBuilder event) {
        switch (consumed.check()) {
            case EXPIRED -> {
                event.error("expired_code");
                throw new AppUsersError(400, ErrorCodes.TOKEN_EXPIRED, "The link has expired; ask for a new one");
            }
            case INVALID -> {
                event.error("invalid_code");
                throw new AppUsersError(400, ErrorCodes.INVALID_TOKEN, "The link is invalid or was already used");
            }
            default -> {
                UserModel user = session.users().getUserById(realm, consumed.userId());
                if (user == null) {
                    throw new AppUsersError(400, ErrorCodes.INVALID_TOKEN, "The link is invalid or was already used");
                }
                return user;
            }
        }
    }

    Optional<UserModel> findByEmail(String email) {
        if (NulChars.in(email)) {
            return Optional.empty();
        }
        UserModel user = session.users().getUserByEmail(realm, email);
        if (user == null) {
            user = session.users().getUserByUsername(realm, email);
        }
        return Optional.ofNullable(user);
    }

    /** The cost of a registration's password hash, spent when the address is already registered. */
    private void spendAHash(String password) {
        PasswordPolicy policy = realm.getPasswordPolicy();
        String algorithm = policy == null ? null : policy.getHashAlgorithm();
        PasswordHashProvider hash = algorithm == null ? session.getProvider(PasswordHashProvider.class)
                : session.getProvider(PasswordHashProvider.class, algorithm);
        if (hash != null) {
            hash.encodedCredential(password, policy == null ? -1 : policy.getHashIterations());
        }
    }

    private EventBuilder event(EventType type) {
        return new EventBuilder(realm, session, session.getContext().getConnection()).event(type)
                .detail(AppUsersEvents.FLOW, FLOW).detail(AppUsersEvents.PROVIDER_TYPE, ProviderTypes.LOCAL_USERPASS);
    }

    static Response accepted() {
        return Response.accepted(Map.of("status", "accepted")).build();
    }
}
