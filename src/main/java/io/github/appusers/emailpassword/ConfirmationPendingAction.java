package io.github.appusers.emailpassword;

import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;

/**
 * The browser side of a pending registration: after a correct password, the user sees "confirm
 * your email" with a resend button instead of being logged in. Confirming (by the link, in
 * another tab or device) and then pressing "I have confirmed" continues the login.
 */
final class ConfirmationPendingAction implements RequiredActionProvider {

    static final String TEMPLATE = "app-users-confirmation-pending.ftl";

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        // Added explicitly at registration; nothing to detect here.
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        if (!new EmailTokens(context.getSession()).exists(context.getUser().getId(), EmailTokens.CONFIRM)
                && !PendingConfirmation.isPending(context.getUser())) {
            context.success();
            return;
        }
        context.challenge(page(context, null));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        var form = context.getHttpRequest().getDecodedFormParameters();
        if (!new EmailTokens(context.getSession()).exists(context.getUser().getId(), EmailTokens.CONFIRM)) {
            // Confirmed meanwhile (admin, link, function): let the login go on. Nothing is verified here.
            PendingConfirmation.clear(context.getUser());
            context.success();
            return;
        }
        if (form.containsKey("resend")) {
            AppUsersSettings.EmailPassword settings = SettingsStore.read(context.getRealm()).emailPassword;
            String email = new EmailTokens(context.getSession()).claimedEmail(context.getUser().getId())
                    .orElse(context.getUser().getEmail());
            boolean sent = new Cooldowns(context.getSession(), context.getRealm())
                    .tryEmail(email, settings.resendCooldownSeconds);
            if (sent && email != null) {
                new ConfirmationWorkflow(context.getSession(), context.getRealm(), settings).run(context.getUser(), email);
            }
            context.challenge(page(context, sent ? "appUsersConfirmationResent" : "appUsersConfirmationCooldown"));
            return;
        }
        context.challenge(page(context, "appUsersConfirmationStillPending"));
    }

    private static Response page(RequiredActionContext context, String message) {
        var form = context.form().setAttribute("appUsersEmail", context.getUser().getEmail());
        if (message != null) {
            form.setInfo(message);
        }
        return form.createForm(TEMPLATE);
    }

    @Override
    public void close() {
    }
}
