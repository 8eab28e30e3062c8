package io.github.appusers.emailpassword;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.common.AppUsersMetrics;
import io.github.appusers.functions.FunctionClient;
import io.github.appusers.functions.FunctionDefinition;
import io.github.appusers.functions.FunctionException;
import io.github.appusers.functions.FunctionRegistry;
import io.github.appusers.settings.AppUsersSettings;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Runs a realm's confirmation workflow for a pending user (auto, email or function) and sends
 * reset emails. Emails leave on a background executor after the request's transaction, so an
 * answer never takes measurably longer for a known address than for an unknown one.
 */
final class ConfirmationWorkflow {

    private static final Logger LOG = Logger.getLogger(ConfirmationWorkflow.class);

    /** What the workflow did. */
    enum Outcome {
        CONFIRMED, PENDING, FAILED
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AppUsersSettings.EmailPassword settings;

    ConfirmationWorkflow(KeycloakSession session, RealmModel realm, AppUsersSettings.EmailPassword settings) {
        this.session = session;
        this.realm = realm;
        this.settings = settings;
    }

    Outcome run(UserModel user) {
        switch (settings.confirmation) {
            case "auto" -> {
                confirm(user);
                return Outcome.CONFIRMED;
            }
            case "function" -> {
                return runFunction(user);
            }
            default -> {
                PendingConfirmation.mark(user);
                EmailTokens.Issued issued = new EmailTokens(session).issue(realm, user, EmailTokens.CONFIRM,
                        settings.tokenTtlSeconds);
                String link = link(settings.confirmationUrl, "confirm-page", issued);
                sendLater(user, "confirmation", (emails, minutes) -> emails.sendVerifyEmail(link, minutes));
                return Outcome.PENDING;
            }
        }
    }

    void confirm(UserModel user) {
        PendingConfirmation.clear(user);
        new EmailTokens(session).remove(user.getId(), EmailTokens.CONFIRM);
    }

    private Outcome runFunction(UserModel user) {
        PendingConfirmation.mark(user);
        EmailTokens.Issued issued = new EmailTokens(session).issue(realm, user, EmailTokens.CONFIRM,
                settings.tokenTtlSeconds);
        Optional<FunctionDefinition> function = new FunctionRegistry(session, realm)
                .find(settings.confirmationFunction, FunctionDefinition.Kind.confirmation);
        if (function.isEmpty()) {
            LOG.warnf("Realm '%s': email_password.confirmation_function '%s' is not a confirmation function",
                    realm.getName(), settings.confirmationFunction);
            return Outcome.FAILED;
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("email", user.getEmail());
        request.put("token", issued.token());
        request.put("token_id", issued.tokenId());
        try {
            JsonNode answer = new FunctionClient(session).call(function.get(), request);
            String status = answer.path("status").asText("");
            if ("success".equals(status)) {
                confirm(user);
                return Outcome.CONFIRMED;
            }
            return "pending".equals(status) ? Outcome.PENDING : Outcome.FAILED;
        } catch (FunctionException e) {
            LOG.debugf("Realm '%s': confirmation function failed: %s", realm.getName(), e.getMessage());
            return Outcome.FAILED;
        }
    }

    /** Issues a reset token and emails its link. */
    void sendReset(UserModel user) {
        EmailTokens.Issued issued = new EmailTokens(session).issue(realm, user, EmailTokens.RESET,
                settings.tokenTtlSeconds);
        String link = link(settings.resetUrl, "reset-page", issued);
        sendLater(user, "reset", (emails, minutes) -> emails.sendPasswordReset(link, minutes));
    }

    /** The app's page when the realm names one, else our page on Keycloak. */
    private String link(String appUrl, String ownPage, EmailTokens.Issued issued) {
        UriBuilder builder = appUrl != null ? UriBuilder.fromUri(appUrl)
                : UriBuilder.fromUri(session.getContext().getUri().getBaseUri())
                        .path("realms").path(realm.getName()).path("app-users").path("email-password").path(ownPage);
        URI uri = builder.queryParam("token", issued.token()).queryParam("token_id", issued.tokenId()).build();
        return uri.toString();
    }

    private interface Send {
        void send(EmailTemplateProvider emails, long expirationMinutes) throws EmailException;
    }

    private void sendLater(UserModel user, String kind, Send send) {
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        String realmId = realm.getId();
        String userId = user.getId();
        long minutes = Math.max(1, settings.tokenTtlSeconds / 60);
        session.getTransactionManager().enlistAfterCompletion(new org.keycloak.models.AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                session.getProvider(ExecutorsProvider.class).getExecutor("app-users-email").execute(() ->
                        KeycloakModelUtils.runJobInTransaction(factory, s -> {
                            RealmModel r = s.realms().getRealm(realmId);
                            if (r == null) {
                                return;
                            }
                            s.getContext().setRealm(r);
                            UserModel u = s.users().getUserById(r, userId);
                            if (u == null || u.getEmail() == null) {
                                return;
                            }
                            try {
                                send.send(s.getProvider(EmailTemplateProvider.class).setRealm(r).setUser(u), minutes);
                                AppUsersMetrics.email(r, kind, AppUsersMetrics.SUCCESS);
                            } catch (EmailException e) {
                                AppUsersMetrics.email(r, kind, "failed");
                                LOG.warnf("Realm '%s': an app-users email could not be sent (%s)", r.getName(),
                                        e.getMessage());
                            }
                        }));
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }
}
