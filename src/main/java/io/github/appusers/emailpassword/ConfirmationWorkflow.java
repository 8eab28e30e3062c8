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
import org.keycloak.models.utils.UserModelDelegate;

/**
 * Runs a realm's confirmation workflow for a claim of an address (auto, email or function) and
 * sends reset emails. Emails leave on a background executor after the request's transaction, so an
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

    /**
     * Runs the realm's confirmation for the user's claim of {@code email}: {@code auto} takes the
     * address at once (unverified), {@code email} issues the claim's token and mails its link to the
     * address, {@code function} lets the confirmation function decide. Marking a registration
     * pending is the caller's part: a link does not make its user pending.
     *
     * @throws io.github.appusers.common.AppUsersError {@code 409 identity_in_use} when taking the
     *         address finds another owner
     */
    Outcome run(UserModel user, String email) {
        return switch (settings.confirmation) {
            case AUTO -> {
                new EmailClaims(session, realm).take(user, email, false);
                yield Outcome.CONFIRMED;
            }
            case FUNCTION -> runFunction(user, email);
            case EMAIL -> {
                EmailTokens.Issued issued = new EmailTokens(session).issue(realm, user, EmailTokens.CONFIRM,
                        settings.tokenTtlSeconds, email, EmailTokens.Delivery.EMAIL);
                String link = link(settings.confirmationUrl, "confirm-page", issued);
                sendLater(user, email, "confirmation", (emails, minutes) -> emails.sendVerifyEmail(link, minutes));
                yield Outcome.PENDING;
            }
        };
    }

    /**
     * The function's {@code success} takes the address; it counts as verified only when the answer
     * also says {@code "email_verified": true} (the function proved control of the mailbox itself).
     * The token it gets is recorded as the function's: confirming with it later verifies nothing.
     */
    private Outcome runFunction(UserModel user, String email) {
        EmailTokens.Issued issued = new EmailTokens(session).issue(realm, user, EmailTokens.CONFIRM,
                settings.tokenTtlSeconds, email, EmailTokens.Delivery.FUNCTION);
        Optional<FunctionDefinition> function = new FunctionRegistry(session, realm)
                .find(settings.confirmationFunction, FunctionDefinition.Kind.confirmation);
        if (function.isEmpty()) {
            LOG.warnf("Realm '%s': email_password.confirmation_function '%s' is not a confirmation function",
                    realm.getName(), settings.confirmationFunction);
            return Outcome.FAILED;
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("email", email);
        request.put("token", issued.token());
        request.put("token_id", issued.tokenId());
        JsonNode answer;
        try {
            answer = new FunctionClient(session).call(function.get(), request);
        } catch (FunctionException e) {
            LOG.debugf("Realm '%s': confirmation function failed: %s", realm.getName(), e.getMessage());
            return Outcome.FAILED;
        }
        String status = answer.path("status").asText("");
        if ("success".equals(status)) {
            boolean verified = answer.path("email_verified").isBoolean() && answer.get("email_verified").asBoolean();
            new EmailClaims(session, realm).take(user, email, verified);
            return Outcome.CONFIRMED;
        }
        return "pending".equals(status) ? Outcome.PENDING : Outcome.FAILED;
    }

    /** Issues a reset token for the link to {@code email} and mails it there. */
    void sendReset(UserModel user, String email) {
        EmailTokens.Issued issued = new EmailTokens(session).issue(realm, user, EmailTokens.RESET,
                settings.tokenTtlSeconds, email, EmailTokens.Delivery.EMAIL);
        String link = link(settings.resetUrl, "reset-page", issued);
        sendLater(user, email, "reset", (emails, minutes) -> emails.sendPasswordReset(link, minutes));
    }

    /** The app's page when the realm names one, else our page on Keycloak. */
    private String link(String appUrl, String ownPage, EmailTokens.Issued issued) {
        UriBuilder builder = appUrl != null ? UriBuilder.fromUri(appUrl)
                : UriBuilder.fromUri(session.getContext().getUri().getBaseUri())
                        .path("realms").path(realm.getName()).path("app-users").path("email-password").path(ownPage);
        URI uri = builder.queryParam("token", issued.token()).queryParam("token_id", issued.tokenId()).build();
        return uri.toString();
    }

    private static UserModel addressedTo(UserModel user, String address) {
        if (address.equals(user.getEmail())) {
            return user;
        }
        boolean generatedUsername = EmailClaims.hasGeneratedUsername(user);
        return new UserModelDelegate(user) {
            @Override
            public String getEmail() {
                return address;
            }

            @Override
            public String getUsername() {
                return generatedUsername ? address : super.getUsername();
            }
        };
    }

    private interface Send {
        void send(EmailTemplateProvider emails, long expirationMinutes) throws EmailException;
    }

    /**
     * Sends to {@code address}: the user's email, or the address its claim is for, which Keycloak's
     * email templates get through a view of the user that has it (the stored user keeps none).
     */
    private void sendLater(UserModel user, String address, String kind, Send send) {
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
                            if (u == null || address == null) {
                                return;
                            }
                            try {
                                send.send(s.getProvider(EmailTemplateProvider.class).setRealm(r)
                                        .setUser(addressedTo(u, address)), minutes);
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
