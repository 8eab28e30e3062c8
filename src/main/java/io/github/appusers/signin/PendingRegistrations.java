package io.github.appusers.signin;

import org.keycloak.models.UserModel;

/**
 * A registration waiting for its confirmation carries this required action: Keycloak keeps such a
 * user out of the browser flow, and our grants refuse it with {@code confirmation_required}.
 * The email/password feature sets and clears it.
 */
public final class PendingRegistrations {

    /** The required action's id (its provider is the email/password feature's). */
    public static final String REQUIRED_ACTION = "app-users-confirm-registration";

    private PendingRegistrations() {
    }

    public static boolean isPending(UserModel user) {
        return user.getRequiredActionsStream().anyMatch(REQUIRED_ACTION::equals);
    }
}
