package io.github.appusers.emailpassword;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.appusers.identity.Identity;
import io.github.appusers.identity.IdentityStore;
import io.github.appusers.identity.ProviderTypes;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * A password reset through an emailed link verified an address that was not verified before. The
 * account's other identities (anything but its {@code local-userpass} one) were added while
 * nobody had proved control of the address, possibly by someone who claimed it first; the reset
 * ends all the user's sessions, and this reports those identities for an admin to judge: as
 * details of the {@code RESET_PASSWORD} event and as an admin event (resource type {@code USER},
 * operation {@code ACTION}, path {@code users/{id}/email-verified-by-reset}).
 */
final class VerifiedByReset {

    static final String RESOURCE_PATH_SUFFIX = "email-verified-by-reset";
    private static final int MAX_DETAIL_LENGTH = 1000;

    private final KeycloakSession session;
    private final RealmModel realm;

    VerifiedByReset(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    void report(UserModel user, String email, int sessionsEnded, EventBuilder event) {
        event.detail("email_verified_by_reset", "true");
        List<Identity> others = new IdentityStore(session).list(realm, user).stream()
                .filter(identity -> !ProviderTypes.LOCAL_USERPASS.equals(identity.providerType)).toList();
        if (others.isEmpty()) {
            return;
        }
        String listed = others.stream().map(identity -> identity.providerType + ":" + identity.id)
                .collect(Collectors.joining(","));
        event.detail("unverified_identities", listed.length() <= MAX_DETAIL_LENGTH ? listed
                : listed.substring(0, MAX_DETAIL_LENGTH) + "...")
                .detail("sessions_ended", String.valueOf(sessionsEnded));
        Map<String, Object> representation = new LinkedHashMap<>();
        representation.put("email", email);
        representation.put("identities", others.stream()
                .map(identity -> Map.of("provider_type", identity.providerType, "id", identity.id)).toList());
        representation.put("sessions_ended", sessionsEnded);
        UserActionAdminEvent.of(session, realm, user)
                .operation(OperationType.ACTION)
                .resource(ResourceType.USER)
                .resourcePath("users", user.getId(), RESOURCE_PATH_SUFFIX)
                .representation(representation)
                .success();
    }
}
