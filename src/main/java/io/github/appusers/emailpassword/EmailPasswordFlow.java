package io.github.appusers.emailpassword;

import java.util.Map;
import java.util.Optional;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.AppUsersEvents;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.common.NulChars;
import io.github.appusers.identity.ProviderTypes;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * What the email/password requests share (docs/email-password.md): the realm's settings, read
 * once per request, their events, the check of a presented token, the lookup of an address's
 * holder, and taking an address for a confirmed claim. Answers never depend on whether an address
 * is registered; {@link EmailPasswordGuards}, {@link Registrations} and {@link PasswordResets}
 * do the work.
 */
final class EmailPasswordFlow {

    static final String FLOW = "email-password";
    /** Event detail: how the used token was delivered, {@code email} or {@code function}. */
    static final String TOKEN_DELIVERY = "token_delivery";

    final KeycloakSession session;
    final RealmModel realm;
    final AppUsersSettings.EmailPassword settings;

    EmailPasswordFlow(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.settings = SettingsStore.read(realm).emailPassword;
    }

    /** An event of our flow, with its {@code local-userpass} provider type. */
    EventBuilder event(EventType type) {
        return new EventBuilder(realm, session, session.getContext().getConnection()).event(type)
                .detail(AppUsersEvents.FLOW, FLOW).detail(AppUsersEvents.PROVIDER_TYPE, ProviderTypes.LOCAL_USERPASS);
    }

    /** The user of a presented token; {@code 400 token_expired} or {@code invalid_token}, recorded on {@code event}. */
    UserModel userOf(EmailTokens.Consumed consumed, EventBuilder event) {
        switch (consumed.check()) {
            case EXPIRED -> {
                event.error("expired_code");
                throw new AppUsersError(400, ErrorCodes.TOKEN_EXPIRED, "The link has expired; ask for a new one");
            }
            case INVALID -> {
                event.error("invalid_code");
                throw new AppUsersError(400, ErrorCodes.INVALID_TOKEN, "The link is invalid or was already used");
            }
            default -> {
                UserModel user = session.users().getUserById(realm, consumed.userId());
                if (user == null) {
                    throw new AppUsersError(400, ErrorCodes.INVALID_TOKEN, "The link is invalid or was already used");
                }
                return user;
            }
        }
    }

    /** The user holding the address as its email, else as its username. */
    Optional<UserModel> findByEmail(String email) {
        if (NulChars.in(email)) {
            return Optional.empty();
        }
        UserModel user = session.users().getUserByEmail(realm, email);
        if (user == null) {
            user = session.users().getUserByUsername(realm, email);
        }
        return Optional.ofNullable(user);
    }

    /**
     * Gives the address to the user of a confirmed claim ({@link EmailClaims#take}); when another
     * user owns it by now, {@code 409 identity_in_use}, and the claim is dropped.
     */
    void takeOrDrop(UserModel user, String email, boolean verified, EventBuilder event) {
        EmailClaims claims = new EmailClaims(session, realm);
        try {
            claims.take(user, email, verified);
        } catch (AppUsersError e) {
            if (ErrorCodes.IDENTITY_IN_USE.equals(e.error())) {
                claims.dropAfterLoss(user, email);
                event.error(e.error());
            }
            throw e;
        }
    }

    /** The one answer of register, resend, retry and the reset requests, whatever the address. */
    static Response accepted() {
        return Response.accepted(Map.of("status", "accepted")).build();
    }
}
