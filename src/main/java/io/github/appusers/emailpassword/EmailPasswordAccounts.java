package io.github.appusers.emailpassword;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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
import io.github.appusers.identity.IdentityStore;
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
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;

/**
 * Email/password accounts without the browser (CONTRACT.md section 5). Answers never depend on
 * whether an address is registered: same status, same body, and the same expensive work (a
 * password hash) on both paths; emails leave after the response.
 */
final class EmailPasswordAccounts {

    static final String FLOW = "email-password";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

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
        String ip = session.getContext().getConnection().getRemoteAddr();
        if (!new Cooldowns(session, realm).tryClient(kind, ip, settings.maxRequestsPerIpPerHour)) {
            event(eventType).detail("limit", kind + "_per_ip").error(ErrorCodes.RATE_LIMITED);
            throw new AppUsersError(429, ErrorCodes.RATE_LIMITED, "Too many requests from this address; try again later");
        }
    }

    void requireEmailCooldown(String email, EventType eventType) {
        if (!new Cooldowns(session, realm).tryEmail(email, settings.resendCooldownSeconds)) {
            event(eventType).detail(Details.EMAIL, email).detail("limit", "email_cooldown").error(ErrorCodes.RATE_LIMITED);
            throw new AppUsersError(429, ErrorCodes.RATE_LIMITED, "An email to this address was sent recently; try again"
                    + " in up to " + settings.resendCooldownSeconds + " seconds");
        }
    }

    static String email(JsonNode body) {
        JsonNode node = body.get("email");
        if (node == null || !node.isTextual()) {
            throw AppUsersError.invalidRequest("email is required and must be a string");
        }
        String email = node.asText().trim().toLowerCase(Locale.ROOT);
        if (email.length() > 254 || !EMAIL.matcher(email).matches() || email.chars().anyMatch(Character::isISOControl)) {
            throw AppUsersError.invalidRequest("email is not a valid email address");
        }
        return email;
    }

    static String text(JsonNode body, String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual() || node.asText().isEmpty() || node.asText().length() > maxLength) {
            throw AppUsersError.invalidRequest(field + " is required and must be a string of at most " + maxLength
                    + " characters");
        }
        return node.asText();
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

    /** Registers a pending user, or, for a registered address, does the same work and nothing else. */
    void register(String email, String password) {
        EventBuilder event = event(EventType.REGISTER).detail(Details.EMAIL, email).detail(Details.REGISTER_METHOD, FLOW);
        try {
            checkPassword(email, password);
        } catch (AppUsersError e) {
            event.error(e.error());
            throw e;
        }
        if (findByEmail(email).isPresent()) {
            spendAHash(password);
            event.error("email_in_use");
            return;
        }
        UserModel user;
        try {
            user = session.users().addUser(realm, email);
            user.setEmail(email);
            user.setEnabled(true);
            user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
            new IdentityStore(session).add(realm, user, ProviderTypes.LOCAL_USERPASS, email);
        } catch (ModelDuplicateException | IdentityStore.IdentityInUseException e) {
            // A concurrent registration of the same address won; answer as for a registered one.
            session.getTransactionManager().setRollbackOnly();
            event.error("email_in_use");
            return;
        }
        event.user(user);
        ConfirmationWorkflow.Outcome outcome = new ConfirmationWorkflow(session, realm, settings).run(user);
        if (outcome == ConfirmationWorkflow.Outcome.FAILED && "function".equals(settings.confirmation)) {
            // The function said no: the registration does not stand.
            new UserManager(session).removeUser(realm, user);
            event.error("confirmation_failed");
            return;
        }
        event.detail("confirmation", outcome.name().toLowerCase(Locale.ROOT)).success();
    }

    /** Confirms the user of a valid confirmation token. */
    void confirm(String tokenId, String token) {
        EventBuilder event = event(EventType.VERIFY_EMAIL);
        EmailTokens.Consumed consumed = new EmailTokens(session).consume(realm, tokenId, token, EmailTokens.CONFIRM);
        UserModel user = checked(consumed, event);
        new ConfirmationWorkflow(session, realm, settings).confirm(user);
        event.user(user).detail(Details.EMAIL, user.getEmail()).success();
    }

    /** A new confirmation email (new token, earlier ones invalid) for a pending address. */
    void resend(String email) {
        findByEmail(email).filter(PendingConfirmation::isPending).ifPresent(user -> {
            if (!"function".equals(settings.confirmation)) {
                new ConfirmationWorkflow(session, realm, settings).run(user);
                event(EventType.SEND_VERIFY_EMAIL).user(user).detail(Details.EMAIL, email).success();
            }
        });
    }

    /** Runs the confirmation function again for a pending address. */
    void retryFunction(String email) {
        if (!"function".equals(settings.confirmation)) {
            throw AppUsersError.invalidRequest("This realm does not confirm registrations with a function");
        }
        findByEmail(email).filter(PendingConfirmation::isPending)
                .ifPresent(user -> new ConfirmationWorkflow(session, realm, settings).run(user));
    }

    /** Sends a reset email to a registered address whose user may reset a password here. */
    void sendReset(String email) {
        findByEmail(email).filter(UserModel::isEnabled).ifPresent(user -> {
            String refusal = resetRefusal(user);
            if (refusal != null) {
                event(EventType.SEND_RESET_PASSWORD).user(user).detail(Details.EMAIL, email)
                        .detail(Details.REASON, refusal).error(Errors.NOT_ALLOWED);
                return;
            }
            new ConfirmationWorkflow(session, realm, settings).sendReset(user);
            event(EventType.SEND_RESET_PASSWORD).user(user).detail(Details.EMAIL, email).success();
        });
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

    /** Sets a new password with a valid reset token and ends the user's sessions. */
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
        setPasswordAndLogOut(user, password);
        // The link reached the mailbox: that confirms the address too.
        if (PendingConfirmation.isPending(user)) {
            new ConfirmationWorkflow(session, realm, settings).confirm(user);
        }
        event.user(user).success();
    }

    /** Runs the realm's reset function; on success the password is set. */
    void resetWithFunction(String email, String password, JsonNode arguments) {
        if (!"function".equals(settings.reset)) {
            throw AppUsersError.invalidRequest("This realm does not reset passwords with a function");
        }
        checkPassword(email, password);
        Optional<FunctionDefinition> function = new FunctionRegistry(realm)
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
                settings.tokenTtlSeconds);
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

    private void setPasswordAndLogOut(UserModel user, String password) {
        user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
        UserSessions.endAll(session, realm, user);
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
