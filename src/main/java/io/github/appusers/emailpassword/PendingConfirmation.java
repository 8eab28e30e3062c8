package io.github.appusers.emailpassword;

import io.github.appusers.signin.PendingRegistrations;
import org.keycloak.models.UserModel;

/**
 * A registration waiting for confirmation: the user carries our required action, which keeps it
 * out of the browser flow (Keycloak shows the "confirm your email" page) and which our grants and
 * the password grant check to answer {@code confirmation_required}. Confirming ends the pending
 * state; whether the address counts as verified is decided where it is taken ({@link EmailClaims}).
 */
public final class PendingConfirmation {

    private PendingConfirmation() {
    }

    public static boolean isPending(UserModel user) {
        return PendingRegistrations.isPending(user);
    }

    static void mark(UserModel user) {
        user.addRequiredAction(ConfirmationPendingActionFactory.PROVIDER_ID);
        user.setEmailVerified(false);
    }

    static void clear(UserModel user) {
        user.removeRequiredAction(ConfirmationPendingActionFactory.PROVIDER_ID);
    }
}
