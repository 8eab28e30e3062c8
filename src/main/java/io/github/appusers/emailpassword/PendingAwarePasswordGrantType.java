package io.github.appusers.emailpassword;

import java.util.List;
import java.util.Locale;

import io.github.appusers.common.AppUsersMetrics;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Details;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.grants.ResourceOwnerPasswordCredentialsGrantType;
import org.keycloak.services.CorsErrorResponseException;

/**
 * Keycloak's password grant, which for a pending registration answers
 * {@code confirmation_required} instead of its generic "Account is not fully set up". Only after
 * the password proved right, so the answer tells nothing to someone without it. A pending claim
 * holds no username or email, so an address no user holds is looked up among the claims.
 */
final class PendingAwarePasswordGrantType extends ResourceOwnerPasswordCredentialsGrantType {

    @Override
    public Response process(Context context) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        String username = context.getFormParams().getFirst("username");
        String password = context.getFormParams().getFirst("password");
        boolean emailPassword = SettingsStore.read(realm).emailPassword.enabled;
        if (username != null && password != null && emailPassword) {
            UserModel user = pendingUser(session, realm, username, password);
            if (user != null) {
                context.getEvent().user(user).detail(Details.USERNAME, username).detail(Details.REASON,
                        "registration not confirmed").error(ErrorCodes.CONFIRMATION_REQUIRED);
                AppUsersMetrics.signIn(realm, ProviderTypes.LOCAL_USERPASS, ErrorCodes.CONFIRMATION_REQUIRED);
                throw new CorsErrorResponseException(context.getCors(), ErrorCodes.CONFIRMATION_REQUIRED,
                        "Confirm your email address first; ask for a new confirmation email if needed",
                        Response.Status.BAD_REQUEST);
            }
        }
        Response response = super.process(context);
        if (emailPassword && response.getStatus() == 200) {
            // In a realm with email/password on, a password sign-in counts as local-userpass.
            AppUsersMetrics.signIn(realm, ProviderTypes.LOCAL_USERPASS, AppUsersMetrics.SUCCESS);
        }
        return response;
    }

    /**
     * The enabled, pending user of this username or address whose password this is: the user
     * Keycloak finds, or else one with a pending claim of the address. Null otherwise.
     */
    private static UserModel pendingUser(KeycloakSession session, RealmModel realm, String username, String password) {
        UserModel found = KeycloakModelUtils.findUserByNameOrEmail(session, realm, username);
        List<UserModel> candidates = found != null ? List.of(found)
                : new EmailClaims(session, realm).claimUsers(username.trim().toLowerCase(Locale.ROOT),
                        EmailClaims.MAX_PER_ADDRESS);
        return candidates.stream()
                .filter(user -> user.isEnabled() && (found == null || PendingConfirmation.isPending(user)))
                .filter(user -> user.credentialManager().isValid(UserCredentialModel.password(password)))
                .findFirst().orElse(null);
    }
}
