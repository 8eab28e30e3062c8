package io.github.appusers.linking;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.AppUsersEvents;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.common.FlowEvent;
import io.github.appusers.common.RequestFields;
import io.github.appusers.common.RateLimiter;
import io.github.appusers.customtoken.CustomTokenIdentity;
import io.github.appusers.emailpassword.EmailPasswordLinks;
import io.github.appusers.functions.FunctionDefinition;
import io.github.appusers.functions.FunctionException;
import io.github.appusers.functions.LoginFunctionCall;
import io.github.appusers.identity.Identity;
import io.github.appusers.identity.IdentityStore;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import org.keycloak.common.VerificationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Links a proven credential to a user, and unlinks. A link never merges two users: an identity
 * that is another user's is refused, and the database's unique constraint settles races.
 */
final class IdentityLinking {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AppUsersSettings settings;

    IdentityLinking(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.settings = SettingsStore.read(realm);
    }

    /**
     * What a link request did: the new identity, or, for an email/password link waiting for its
     * confirmation, the claimed address (the identity appears when the claim is confirmed).
     */
    record Linked(Identity identity, String pendingEmail) {

        static Linked now(Identity identity) {
            return new Linked(identity, null);
        }

        boolean pending() {
            return pendingEmail != null;
        }
    }

    /** Links the credential of {@code request}; {@code event} gets the provider type. */
    Linked link(UserModel user, ObjectNode request, FlowEvent event) {
        JsonNode type = request.get("type");
        if (type == null || !type.isTextual()) {
            throw AppUsersError.invalidRequest("type is required: email-password, custom-function or custom-token");
        }
        return switch (type.asText()) {
            case "email-password" -> {
                event.detail(AppUsersEvents.PROVIDER_TYPE, ProviderTypes.LOCAL_USERPASS);
                yield linkEmailPassword(user, request, event);
            }
            case "custom-function" -> {
                event.detail(AppUsersEvents.PROVIDER_TYPE, ProviderTypes.CUSTOM_FUNCTION);
                yield Linked.now(linkCustomFunction(user, request));
            }
            case "custom-token" -> {
                event.detail(AppUsersEvents.PROVIDER_TYPE, ProviderTypes.CUSTOM_TOKEN);
                yield Linked.now(linkCustomToken(user, request));
            }
            default -> throw AppUsersError.invalidRequest("type must be email-password, custom-function or custom-token");
        };
    }

    /**
     * Follows the realm's confirmation mode: the address is claimed, and taken (with the identity)
     * once the claim is confirmed, at once with {@code auto}. An address another user owns is
     * refused; pending claims of others do not stand in the way (the first to confirm wins).
     */
    private Linked linkEmailPassword(UserModel user, ObjectNode request, FlowEvent event) {
        if (!settings.emailPassword.enabled) {
            throw AppUsersError.featureDisabled("Email/password login");
        }
        String email = EmailPasswordLinks.email(request);
        String password = EmailPasswordLinks.password(session, request, email);
        if (new IdentityStore(session).list(realm, user).stream()
                .anyMatch(i -> ProviderTypes.LOCAL_USERPASS.equals(i.providerType))) {
            throw AppUsersError.conflict(ErrorCodes.IDENTITY_IN_USE, "This user has an email/password identity already");
        }
        EmailPasswordLinks.requireAttemptAllowed(session, realm, email);
        if (EmailPasswordLinks.ownedByAnother(session, realm, email, user)) {
            throw inUse();
        }
        EmailPasswordLinks.Claim claim = EmailPasswordLinks.setPasswordAndClaim(session, realm, user, email, password);
        event.detail("confirmation", claim.name().toLowerCase(Locale.ROOT));
        return switch (claim) {
            case TAKEN -> Linked.now(identity(user, ProviderTypes.LOCAL_USERPASS, email));
            case PENDING -> new Linked(null, email);
            case REFUSED -> {
                session.getTransactionManager().setRollbackOnly();
                throw AppUsersError.invalidRequest("The confirmation function refused this address");
            }
        };
    }

    private Identity linkCustomFunction(UserModel user, ObjectNode request) {
        if (!settings.customFunction.enabled) {
            throw AppUsersError.featureDisabled("Custom-function login");
        }
        String name = RequestFields.requiredText(request, "function", 64);
        JsonNode payload = request.get("payload");
        if (payload == null || !payload.isObject()) {
            throw new AppUsersError(400, ErrorCodes.INVALID_PAYLOAD, "payload must be a JSON object");
        }
        FunctionDefinition function = LoginFunctionCall.find(session, realm, name)
                .orElseThrow(() -> AppUsersError.invalidRequest("No login function named so"));
        RateLimiter.Decision attempt = LoginFunctionCall.countAttempt(session, realm, settings.customFunction);
        if (!attempt.allowed()) {
            throw AppUsersError.rateLimited(LoginFunctionCall.RATE_LIMITED, attempt.retryAfterSeconds());
        }
        String id;
        try {
            id = LoginFunctionCall.call(session, function, payload).id();
        } catch (FunctionException e) {
            throw e.toError();
        }
        add(user, ProviderTypes.CUSTOM_FUNCTION, id);
        return identity(user, ProviderTypes.CUSTOM_FUNCTION, id);
    }

    private Identity linkCustomToken(UserModel user, ObjectNode request) {
        AppUsersSettings.CustomToken customToken = settings.customToken;
        if (!customToken.enabled) {
            throw AppUsersError.featureDisabled("Custom JWT login");
        }
        String token = RequestFields.requiredText(request, "token", 32 * 1024);
        String subject;
        try {
            subject = CustomTokenIdentity.verify(session, realm, customToken, token).subject();
        } catch (VerificationException e) {
            throw new AppUsersError(400, ErrorCodes.INVALID_TOKEN, "Invalid token: " + e.getMessage());
        }
        add(user, ProviderTypes.CUSTOM_TOKEN, subject);
        return identity(user, ProviderTypes.CUSTOM_TOKEN, subject);
    }

    /** Removes one of the user's identities; never the last one. */
    void unlink(UserModel user, String providerType, String providerId) {
        IdentityStore store = new IdentityStore(session);
        List<Identity> identities = store.list(realm, user);
        Identity target = identities.stream()
                .filter(i -> i.providerType.equals(providerType) && i.id.equals(providerId))
                .findFirst()
                .orElseThrow(() -> AppUsersError.notFound("The user has no such identity"));
        if (identities.size() <= 1) {
            throw AppUsersError.conflict(ErrorCodes.LAST_IDENTITY, "The last identity of a user cannot be removed");
        }
        if (target.providerType.startsWith(ProviderTypes.OAUTH2_PREFIX)) {
            session.users().removeFederatedIdentity(realm, user,
                    target.providerType.substring(ProviderTypes.OAUTH2_PREFIX.length()));
        } else {
            store.remove(realm, user, providerType, providerId);
        }
        if (ProviderTypes.LOCAL_USERPASS.equals(providerType)) {
            // Without the identity, the password is no way in any more.
            EmailPasswordLinks.removePassword(user);
        }
    }

    private void add(UserModel user, String type, String id) {
        try {
            new IdentityStore(session).add(realm, user, type, id);
        } catch (IdentityStore.IdentityInUseException e) {
            throw inUse();
        }
    }

    private Identity identity(UserModel user, String type, String id) {
        return new IdentityStore(session).list(realm, user).stream()
                .filter(i -> i.providerType.equals(type) && i.id.equals(id))
                .findFirst().orElseThrow();
    }

    private static AppUsersError inUse() {
        return AppUsersError.conflict(ErrorCodes.IDENTITY_IN_USE, "This identity belongs to another user");
    }
}
