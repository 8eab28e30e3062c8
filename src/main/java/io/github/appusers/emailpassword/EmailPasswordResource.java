package io.github.appusers.emailpassword;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.common.JsonBodies;
import io.github.appusers.common.RequestFields;
import io.github.appusers.settings.AppUsersSettings.ConfirmationMode;
import io.github.appusers.settings.AppUsersSettings.ResetMode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.messages.Messages;
import org.keycloak.theme.Theme;

/**
 * {@code /realms/{realm}/app-users/email-password}: registration, confirmation and password reset
 * for apps (JSON), plus the two small pages the emails link to when the realm names no app URL.
 */
public final class EmailPasswordResource {

    private static final Logger LOG = Logger.getLogger(EmailPasswordResource.class);
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final KeycloakSession session;
    private final RealmModel realm;

    public EmailPasswordResource(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** The request's flow, once email/password is on in the realm. */
    private EmailPasswordFlow flow() {
        EmailPasswordFlow flow = new EmailPasswordFlow(session, realm);
        new EmailPasswordGuards(flow).requireEnabled();
        return flow;
    }

    /** The flow of a password reset endpoint: email/password on, and the realm's "Forgot password" on. */
    private EmailPasswordFlow resetFlow() {
        EmailPasswordFlow flow = flow();
        new EmailPasswordGuards(flow).requireResetAllowed();
        return flow;
    }

    @POST
    @Path("register")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(InputStream body) {
        EmailPasswordFlow flow = flow();
        ObjectNode request = JsonBodies.readObject(body, MAX_BODY_BYTES);
        String email = RequestFields.email(request);
        String password = RequestFields.requiredText(request, "password", 1024);
        new EmailPasswordGuards(flow).requireClientQuota("register", EventType.REGISTER);
        new Registrations(flow).register(email, password);
        return EmailPasswordFlow.accepted();
    }

    @POST
    @Path("confirm")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response confirm(InputStream body) {
        EmailPasswordFlow flow = flow();
        ObjectNode request = JsonBodies.readObject(body, MAX_BODY_BYTES);
        new Registrations(flow).confirm(RequestFields.requiredText(request, "token_id", 64),
                RequestFields.requiredText(request, "token", 256), RequestFields.optionalText(request, "password", 1024));
        return Response.ok(Map.of("status", "confirmed")).build();
    }

    @POST
    @Path("confirm/resend")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response resend(InputStream body) {
        EmailPasswordFlow flow = flow();
        String email = RequestFields.email(JsonBodies.readObject(body, MAX_BODY_BYTES));
        EmailPasswordGuards guards = new EmailPasswordGuards(flow);
        guards.requireClientQuota("resend", EventType.SEND_VERIFY_EMAIL);
        guards.requireEmailCooldown(email, EventType.SEND_VERIFY_EMAIL);
        new Registrations(flow).resend(email);
        return EmailPasswordFlow.accepted();
    }

    @POST
    @Path("confirm/retry-function")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response retryFunction(InputStream body) {
        EmailPasswordFlow flow = flow();
        String email = RequestFields.email(JsonBodies.readObject(body, MAX_BODY_BYTES));
        if (flow.settings.confirmation != ConfirmationMode.FUNCTION) {
            // Before the limits: a request refused anyway spends neither the quota nor the address's cooldown.
            throw AppUsersError.invalidRequest("This realm does not confirm registrations with a function");
        }
        EmailPasswordGuards guards = new EmailPasswordGuards(flow);
        guards.requireClientQuota("retry", EventType.SEND_VERIFY_EMAIL);
        guards.requireEmailCooldown(email, EventType.SEND_VERIFY_EMAIL);
        new Registrations(flow).retryFunction(email);
        return EmailPasswordFlow.accepted();
    }

    @POST
    @Path("reset/send")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response sendReset(InputStream body) {
        EmailPasswordFlow flow = resetFlow();
        String email = RequestFields.email(JsonBodies.readObject(body, MAX_BODY_BYTES));
        if (flow.settings.reset != ResetMode.EMAIL) {
            throw AppUsersError.invalidRequest("This realm resets passwords with a function (reset/call-function)");
        }
        EmailPasswordGuards guards = new EmailPasswordGuards(flow);
        guards.requireClientQuota("reset", EventType.SEND_RESET_PASSWORD);
        guards.requireEmailCooldown(email, EventType.SEND_RESET_PASSWORD);
        new PasswordResets(flow).send(email);
        return EmailPasswordFlow.accepted();
    }

    @POST
    @Path("reset")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response reset(InputStream body) {
        EmailPasswordFlow flow = resetFlow();
        ObjectNode request = JsonBodies.readObject(body, MAX_BODY_BYTES);
        new PasswordResets(flow).reset(RequestFields.requiredText(request, "token_id", 64), RequestFields.requiredText(request, "token", 256),
                RequestFields.requiredText(request, "password", 1024));
        return Response.ok(Map.of("status", "reset")).build();
    }

    @POST
    @Path("reset/call-function")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response resetWithFunction(InputStream body) {
        EmailPasswordFlow flow = resetFlow();
        ObjectNode request = JsonBodies.readObject(body, MAX_BODY_BYTES);
        String email = RequestFields.email(request);
        String password = RequestFields.requiredText(request, "password", 1024);
        JsonNode arguments = request.has("arguments") ? request.get("arguments") : NullNode.getInstance();
        new EmailPasswordGuards(flow).requireClientQuota("reset", EventType.RESET_PASSWORD);
        new PasswordResets(flow).resetWithFunction(email, password, arguments);
        return EmailPasswordFlow.accepted();
    }

    // --- the pages emails link to when the realm names no confirmation_url / reset_url -----------

    /** Shows a button rather than confirming on GET, so mail scanners that open links confirm nothing. */
    @GET
    @Path("confirm-page")
    @Produces(MediaType.TEXT_HTML)
    public Response confirmPage(@QueryParam("token") String token, @QueryParam("token_id") String tokenId) {
        flow();
        return confirmForm(token, tokenId, null);
    }

    /**
     * Confirms; when other registrations claim the address too, the same page comes back with a
     * password field (the claim's own password is needed, see {@link Registrations#confirm}).
     */
    @POST
    @Path("confirm-page")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response confirmFromPage(@FormParam("token") String token, @FormParam("token_id") String tokenId,
            @FormParam("password") String password) {
        EmailPasswordFlow flow = flow();
        try {
            new Registrations(flow).confirm(tokenId, token, password == null || password.isEmpty() ? null : password);
            return forms().setSuccess("appUsersEmailConfirmed").createInfoPage();
        } catch (AppUsersError e) {
            if (ErrorCodes.PASSWORD_REQUIRED.equals(e.error())) {
                return confirmForm(token, tokenId, password == null || password.isEmpty()
                        ? "appUsersConfirmPasswordRequired" : "appUsersConfirmPasswordWrong");
            }
            return forms().setError(messageFor(e)).createErrorPage(Response.Status.BAD_REQUEST);
        }
    }

    /** The confirm button; with a password field and {@code error} once the password turned out to be needed. */
    private Response confirmForm(String token, String tokenId, String error) {
        LoginFormsProvider forms = forms().setAttribute("appUsersToken", token == null ? "" : token)
                .setAttribute("appUsersTokenId", tokenId == null ? "" : tokenId);
        if (error != null) {
            forms.setAttribute("appUsersPasswordRequired", true).setError(error);
        }
        return page(forms, "app-users-confirm.ftl");
    }

    @GET
    @Path("reset-page")
    @Produces(MediaType.TEXT_HTML)
    public Response resetPage(@QueryParam("token") String token, @QueryParam("token_id") String tokenId) {
        resetFlow();
        return resetForm(token, tokenId, null);
    }

    @POST
    @Path("reset-page")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response resetFromPage(@FormParam("token") String token, @FormParam("token_id") String tokenId,
            @FormParam("password") String password, @FormParam("password-confirm") String confirmation) {
        EmailPasswordFlow flow = resetFlow();
        if (password == null || !password.equals(confirmation)) {
            return resetForm(token, tokenId, "notMatchPasswordMessage");
        }
        try {
            new PasswordResets(flow).reset(tokenId, token, password);
            return forms().setSuccess("appUsersPasswordReset").createInfoPage();
        } catch (AppUsersError e) {
            if ("invalid_password".equals(e.error())) {
                return resetForm(token, tokenId, "appUsersPasswordPolicy");
            }
            return forms().setError(messageFor(e)).createErrorPage(Response.Status.BAD_REQUEST);
        }
    }

    private Response resetForm(String token, String tokenId, String error) {
        LoginFormsProvider forms = forms().setAttribute("appUsersToken", token == null ? "" : token)
                .setAttribute("appUsersTokenId", tokenId == null ? "" : tokenId);
        if (error != null) {
            forms.setError(error);
        }
        return page(forms, "app-users-reset.ftl");
    }

    private static String messageFor(AppUsersError e) {
        return switch (e.error()) {
            case ErrorCodes.TOKEN_EXPIRED -> "appUsersLinkExpired";
            case ErrorCodes.IDENTITY_IN_USE -> "appUsersEmailTakenByOther";
            default -> "appUsersLinkInvalid";
        };
    }

    /**
     * Our page, which every login theme has through the JAR's theme resources; should a theme
     * still lack it (e.g. resources disabled), Keycloak's error page instead of a 500.
     */
    private Response page(LoginFormsProvider forms, String template) {
        try {
            if (session.theme().getTheme(Theme.Type.LOGIN).getTemplate(template) != null) {
                return forms.createForm(template);
            }
        } catch (IOException e) {
            // treated as missing
        }
        LOG.warnf("Realm '%s': its login theme has no %s (the extension's theme resources are missing);"
                + " set email_password.confirmation_url / reset_url to use pages of your app", realm.getName(), template);
        return forms().setError(Messages.PAGE_NOT_FOUND).createErrorPage(Response.Status.NOT_FOUND);
    }

    /** Keycloak's login pages outside a login flow: forms post back to this same URL. */
    private LoginFormsProvider forms() {
        return session.getProvider(LoginFormsProvider.class).setActionUri(session.getContext().getUri().getRequestUri());
    }
}
