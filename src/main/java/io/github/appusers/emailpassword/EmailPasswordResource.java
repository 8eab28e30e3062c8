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

    private EmailPasswordAccounts accounts() {
        EmailPasswordAccounts accounts = new EmailPasswordAccounts(session, realm);
        accounts.requireEnabled();
        return accounts;
    }

    /** The accounts of a password reset endpoint: email/password on, and the realm's "Forgot password" on. */
    private EmailPasswordAccounts resetAccounts() {
        EmailPasswordAccounts accounts = accounts();
        accounts.requireResetAllowed();
        return accounts;
    }

    @POST
    @Path("register")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(InputStream body) {
        EmailPasswordAccounts accounts = accounts();
        ObjectNode request = JsonBodies.readObject(body, MAX_BODY_BYTES);
        String email = RequestFields.email(request);
        String password = RequestFields.requiredText(request, "password", 1024);
        accounts.requireClientQuota("register", EventType.REGISTER);
        accounts.register(email, password);
        return EmailPasswordAccounts.accepted();
    }

    @POST
    @Path("confirm")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response confirm(InputStream body) {
        EmailPasswordAccounts accounts = accounts();
        ObjectNode request = JsonBodies.readObject(body, MAX_BODY_BYTES);
        accounts.confirm(RequestFields.requiredText(request, "token_id", 64),
                RequestFields.requiredText(request, "token", 256), RequestFields.optionalText(request, "password", 1024));
        return Response.ok(Map.of("status", "confirmed")).build();
    }

    @POST
    @Path("confirm/resend")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response resend(InputStream body) {
        EmailPasswordAccounts accounts = accounts();
        String email = RequestFields.email(JsonBodies.readObject(body, MAX_BODY_BYTES));
        accounts.requireClientQuota("resend", EventType.SEND_VERIFY_EMAIL);
        accounts.requireEmailCooldown(email, EventType.SEND_VERIFY_EMAIL);
        accounts.resend(email);
        return EmailPasswordAccounts.accepted();
    }

    @POST
    @Path("confirm/retry-function")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response retryFunction(InputStream body) {
        EmailPasswordAccounts accounts = accounts();
        String email = RequestFields.email(JsonBodies.readObject(body, MAX_BODY_BYTES));
        accounts.requireClientQuota("retry", EventType.SEND_VERIFY_EMAIL);
        accounts.requireEmailCooldown(email, EventType.SEND_VERIFY_EMAIL);
        accounts.retryFunction(email);
        return EmailPasswordAccounts.accepted();
    }

    @POST
    @Path("reset/send")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response sendReset(InputStream body) {
        EmailPasswordAccounts accounts = resetAccounts();
        String email = RequestFields.email(JsonBodies.readObject(body, MAX_BODY_BYTES));
        if (!"email".equals(accounts.settings().reset)) {
            throw AppUsersError.invalidRequest("This realm resets passwords with a function (reset/call-function)");
        }
        accounts.requireClientQuota("reset", EventType.SEND_RESET_PASSWORD);
        accounts.requireEmailCooldown(email, EventType.SEND_RESET_PASSWORD);
        accounts.sendReset(email);
        return EmailPasswordAccounts.accepted();
    }

    @POST
    @Path("reset")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response reset(InputStream body) {
        EmailPasswordAccounts accounts = resetAccounts();
        ObjectNode request = JsonBodies.readObject(body, MAX_BODY_BYTES);
        accounts.reset(RequestFields.requiredText(request, "token_id", 64), RequestFields.requiredText(request, "token", 256),
                RequestFields.requiredText(request, "password", 1024));
        return Response.ok(Map.of("status", "reset")).build();
    }

    @POST
    @Path("reset/call-function")
    @Consumes({JsonBodies.ANY_APPLICATION_TYPE, JsonBodies.ANY_TEXT_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    public Response resetWithFunction(InputStream body) {
        EmailPasswordAccounts accounts = resetAccounts();
        ObjectNode request = JsonBodies.readObject(body, MAX_BODY_BYTES);
        String email = RequestFields.email(request);
        String password = RequestFields.requiredText(request, "password", 1024);
        JsonNode arguments = request.has("arguments") ? request.get("arguments") : NullNode.getInstance();
        accounts.requireClientQuota("reset", EventType.RESET_PASSWORD);
        accounts.resetWithFunction(email, password, arguments);
        return EmailPasswordAccounts.accepted();
    }

    // --- the pages emails link to when the realm names no confirmation_url / reset_url -----------

    /** Shows a button rather than confirming on GET, so mail scanners that open links confirm nothing. */
    @GET
    @Path("confirm-page")
    @Produces(MediaType.TEXT_HTML)
    public Response confirmPage(@QueryParam("token") String token, @QueryParam("token_id") String tokenId) {
        accounts();
        return confirmForm(token, tokenId, null);
    }

    /**
     * Confirms; when other registrations claim the address too, the same page comes back with a
     * password field (the claim's own password is needed, see {@code EmailPasswordAccounts.confirm}).
     */
    @POST
    @Path("confirm-page")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response confirmFromPage(@FormParam("token") String token, @FormParam("token_id") String tokenId,
            @FormParam("password") String password) {
        EmailPasswordAccounts accounts = accounts();
        try {
            accounts.confirm(tokenId, token, password == null || password.isEmpty() ? null : password);
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
        resetAccounts();
        return resetForm(token, tokenId, null);
    }

    @POST
    @Path("reset-page")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response resetFromPage(@FormParam("token") String token, @FormParam("token_id") String tokenId,
            @FormParam("password") String password, @FormParam("password-confirm") String confirmation) {
        EmailPasswordAccounts accounts = resetAccounts();
        if (password == null || !password.equals(confirmation)) {
            return resetForm(token, tokenId, "notMatchPasswordMessage");
        }
        try {
            accounts.reset(tokenId, token, password);
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
