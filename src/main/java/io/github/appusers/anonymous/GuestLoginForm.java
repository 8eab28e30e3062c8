package io.github.appusers.anonymous;

import io.github.appusers.common.AppUsersEvents;
import io.github.appusers.common.AppUsersMetrics;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import io.github.appusers.signin.GrantPermissions;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.browser.UsernamePasswordForm;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

/**
 * Keycloak's username/password form plus guest login: the page offers "Continue as guest", and an
 * authorization request with {@code anonymous=true} signs the guest in without showing the page.
 * Used in place of the standard form in the browser flow, so password logins (and the OTP
 * sub-flow after them) work as before.
 */
final class GuestLoginForm extends UsernamePasswordForm {

    /** Keycloak keeps extra authorization request parameters as client notes with this prefix. */
    static final String ANONYMOUS_REQUEST_NOTE = "client_request_param_anonymous";
    static final String GUEST_FORM_FIELD = "app_users_guest";
    static final String GUEST_ATTRIBUTE = "appUsersGuestLogin";

    GuestLoginForm(KeycloakSession session) {
        super(session);
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        AppUsersSettings.Anonymous settings = SettingsStore.read(context.getRealm()).anonymous;
        if (guestLoginAllowed(context, settings) && context.getUser() == null
                && "true".equals(context.getAuthenticationSession().getClientNote(ANONYMOUS_REQUEST_NOTE))) {
            signInAsGuest(context, settings);
            return;
        }
        offerGuestLogin(context, settings);
        super.authenticate(context);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        AppUsersSettings.Anonymous settings = SettingsStore.read(context.getRealm()).anonymous;
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        if (form.containsKey(GUEST_FORM_FIELD)) {
            if (guestLoginAllowed(context, settings) && context.getUser() == null) {
                signInAsGuest(context, settings);
            } else {
                context.getEvent().error(ErrorCodes.FEATURE_DISABLED);
                context.failureChallenge(AuthenticationFlowError.ACCESS_DENIED,
                        context.form().setError("appUsersGuestDisabled").createLoginUsernamePassword());
            }
            return;
        }
        offerGuestLogin(context, settings);
        super.action(context);
    }

    /** The realm has anonymous login on, and the client may use it (as it may the anonymous grant). */
    private static boolean guestLoginAllowed(AuthenticationFlowContext context, AppUsersSettings.Anonymous settings) {
        return settings.enabled && GrantPermissions.allows(context.getAuthenticationSession().getClient(),
                AnonymousGrantTypeFactory.GRANT_TYPE);
    }

    private static void offerGuestLogin(AuthenticationFlowContext context, AppUsersSettings.Anonymous settings) {
        if (guestLoginAllowed(context, settings) && context.getUser() == null) {
            context.form().setAttribute(GUEST_ATTRIBUTE, Boolean.TRUE);
        }
    }

    private static void signInAsGuest(AuthenticationFlowContext context, AppUsersSettings.Anonymous settings) {
        AnonymousSignup signup = new AnonymousSignup(context.getSession(), context.getRealm());
        context.getEvent().detail(AppUsersEvents.FLOW, AnonymousGrantType.FLOW)
                .detail(AppUsersEvents.PROVIDER_TYPE, ProviderTypes.ANONYMOUS);
        if (signup.defaultsGrantAdminRole()) {
            context.getEvent().detail(org.keycloak.events.Details.REASON, AnonymousAdminRoles.DEFAULTS_REFUSAL)
                    .error(ErrorCodes.FORBIDDEN);
            context.forceChallenge(context.form().setError("appUsersGuestAdminDefaults").createLoginUsernamePassword());
            return;
        }
        if (!signup.withinRateLimit(settings)) {
            context.getEvent().error(ErrorCodes.RATE_LIMITED);
            AppUsersMetrics.signIn(context.getRealm(), ProviderTypes.ANONYMOUS, ErrorCodes.RATE_LIMITED);
            offerGuestLogin(context, settings);
            context.forceChallenge(context.form().setError("appUsersGuestRateLimited").createLoginUsernamePassword());
            return;
        }
        UserModel user = signup.create();
        context.setUser(user);
        context.getEvent().user(user);
        context.success();
        AppUsersMetrics.signIn(context.getRealm(), ProviderTypes.ANONYMOUS, AppUsersMetrics.SUCCESS);
    }
}
