package io.github.appusers.emailpassword;

import java.util.List;
import java.util.Locale;

import io.github.appusers.common.AppUsersMetrics;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.events.Details;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.managers.BruteForceProtector;

/**
 * First step of the direct grant flow of a realm with email/password on: a pending registration
 * that signs in with the right password is told {@code confirmation_required} instead of
 * Keycloak's generic "Account is not fully set up". Only with the right password, so the answer
 * tells nothing to someone without it; users that brute force protection holds are left to
 * Keycloak's own steps. A claim-only registration holds no username or email, so an address no
 * user holds is looked up among the pending claims (whose wrong guesses count as failed logins).
 * Anything else passes on to the flow's next steps unchanged.
 */
final class PendingRegistrationCheck implements Authenticator {

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        RealmModel realm = context.getRealm();
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        String username = form.getFirst("username");
        String password = form.getFirst("password");
        if (username == null || password == null || !SettingsStore.read(realm).emailPassword.enabled) {
            context.success();
            return;
        }
        UserModel user = pendingUser(context, username, password);
        if (user == null) {
            context.success();
            return;
        }
        context.getEvent().user(user).detail(Details.USERNAME, username)
                .detail(Details.REASON, "registration not confirmed").error(ErrorCodes.CONFIRMATION_REQUIRED);
        AppUsersMetrics.signIn(realm, ProviderTypes.LOCAL_USERPASS, ErrorCodes.CONFIRMATION_REQUIRED);
        context.forceChallenge(Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new OAuth2ErrorRepresentation(ErrorCodes.CONFIRMATION_REQUIRED,
                        "Confirm your email address first; ask for a new confirmation email if needed"))
                .build());
    }

    /**
     * The enabled, pending user of this username or address whose password this is: the user
     * Keycloak finds, or else one with a pending claim of the address. Null otherwise.
     */
    private static UserModel pendingUser(AuthenticationFlowContext context, String username, String password) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        UserModel found = KeycloakModelUtils.findUserByNameOrEmail(session, realm, username);
        if (found != null) {
            boolean pending = found.isEnabled() && PendingConfirmation.isPending(found) && !held(context, protector, found);
            return pending && found.credentialManager().isValid(UserCredentialModel.password(password)) ? found : null;
        }
        List<UserModel> claimants = new EmailClaims(session, realm).claimUsers(username.trim().toLowerCase(Locale.ROOT),
                EmailClaims.MAX_PER_ADDRESS);
        for (UserModel claimant : claimants) {
            if (!claimant.isEnabled() || held(context, protector, claimant)) {
                continue;
            }
            if (claimant.credentialManager().isValid(UserCredentialModel.password(password))) {
                return claimant;
            }
            if (realm.isBruteForceProtected()) {
                // Keycloak's own steps never see this user (nothing holds the address yet): count it here.
                protector.failedLogin(realm, claimant, context.getConnection(), context.getUriInfo(), null);
            }
        }
        return null;
    }

    private static boolean held(AuthenticationFlowContext context, BruteForceProtector protector, UserModel user) {
        return context.getRealm().isBruteForceProtected()
                && protector.isTemporarilyDisabled(context.getSession(), context.getRealm(), user);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        context.success();
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
