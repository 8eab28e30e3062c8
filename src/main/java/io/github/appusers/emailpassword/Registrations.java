package io.github.appusers.emailpassword;

import java.util.Locale;
import java.util.function.Consumer;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.settings.AppUsersSettings.ConfirmationMode;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;

/**
 * Registration through the REST endpoint, its confirmation, and resending or re-running the
 * confirmation. A registration only claims its address until the claim is confirmed; an address
 * with a confirmed owner gets the same answer after the same work (a password hash), and emails
 * leave after the response.
 */
final class Registrations {

    private final EmailPasswordFlow flow;
    private final KeycloakSession session;
    private final RealmModel realm;

    Registrations(EmailPasswordFlow flow) {
        this.flow = flow;
        this.session = flow.session;
        this.realm = flow.realm;
    }

    /**
     * Registers a pending claim of the address, or, for an address with a confirmed owner, does the
     * same work and nothing else. The new user holds neither the address nor its identity until
     * the claim is confirmed, so a pending claim never blocks the address's real owner.
     */
    void register(String email, String password) {
        EventBuilder event = flow.event(EventType.REGISTER).detail(Details.EMAIL, email)
                .detail(Details.REGISTER_METHOD, EmailPasswordFlow.FLOW);
        try {
            new EmailPasswordGuards(flow).checkPassword(email, password);
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
            outcome = new ConfirmationWorkflow(session, realm, flow.settings).run(user, email);
        } catch (AppUsersError e) {
            if (!ErrorCodes.IDENTITY_IN_USE.equals(e.error())) {
                throw e;
            }
            // A concurrent confirmation of the same address won; answer as for a registered one.
            session.getTransactionManager().setRollbackOnly();
            event.error("email_in_use");
            return;
        }
        if (outcome == ConfirmationWorkflow.Outcome.FAILED && flow.settings.confirmation == ConfirmationMode.FUNCTION) {
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
        EventBuilder event = flow.event(EventType.VERIFY_EMAIL);
        EmailTokens.Consumed consumed = new EmailTokens(session).consume(realm, tokenId, token, EmailTokens.CONFIRM,
                flow.settings.confirmation == ConfirmationMode.FUNCTION ? EmailTokens.Delivery.FUNCTION
                        : EmailTokens.Delivery.EMAIL);
        UserModel user = flow.userOf(consumed, event);
        String email = consumed.email() != null ? consumed.email() : user.getEmail();
        if (email == null) {
            event.error("invalid_code");
            throw new AppUsersError(400, ErrorCodes.INVALID_TOKEN, "The link is invalid or was already used");
        }
        event.user(user).detail(Details.EMAIL, email).detail(EmailPasswordFlow.TOKEN_DELIVERY, consumed.delivery().stored());
        requirePasswordWhenContested(user, email, password, event);
        flow.takeOrDrop(user, email, consumed.emailed(), event);
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
        boolean contested = new EmailClaims(session, realm).contested(email, user);
        if (!contested || (password != null
                && user.credentialManager().isValid(UserCredentialModel.password(password)))) {
            return;
        }
        event.error(ErrorCodes.PASSWORD_REQUIRED);
        throw new AppUsersError(400, ErrorCodes.PASSWORD_REQUIRED, "Other registrations claim this email address too;"
                + " confirm with the password chosen for this registration (password)");
    }

    /**
     * A new confirmation email (new token, earlier ones invalid) for each pending claim of the
     * address (a few at most), unless the address has a confirmed owner.
     */
    void resend(String email) {
        if (flow.settings.confirmation == ConfirmationMode.FUNCTION) {
            return;
        }
        forEachClaimant(email, user -> {
            new ConfirmationWorkflow(session, realm, flow.settings).run(user, email);
            flow.event(EventType.SEND_VERIFY_EMAIL).user(user).detail(Details.EMAIL, email).success();
        });
    }

    /** Runs the confirmation function again for each pending claim of the address. */
    void retryFunction(String email) {
        if (flow.settings.confirmation != ConfirmationMode.FUNCTION) {
            throw AppUsersError.invalidRequest("This realm does not confirm registrations with a function");
        }
        forEachClaimant(email, user -> new ConfirmationWorkflow(session, realm, flow.settings).run(user, email));
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
}
