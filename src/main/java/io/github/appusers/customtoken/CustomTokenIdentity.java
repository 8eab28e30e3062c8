package io.github.appusers.customtoken;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.appusers.common.NulChars;
import io.github.appusers.common.UserProfileAttributes;
import io.github.appusers.settings.AppUsersSettings;
import org.keycloak.common.VerificationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.JsonWebToken;

/**
 * A verified external JWT: its {@code sub} is the {@code custom-token} identity, and the realm's
 * {@code metadata} list maps its claims onto user fields and attributes.
 */
public final class CustomTokenIdentity {

    private final String subject;
    private final Map<String, String> fields;

    private CustomTokenIdentity(String subject, Map<String, String> fields) {
        this.subject = subject;
        this.fields = fields;
    }

    /** Verifies the token against the realm's settings; required metadata must be present. */
    public static CustomTokenIdentity verify(KeycloakSession session, RealmModel realm,
            AppUsersSettings.CustomToken settings, String token) throws VerificationException {
        JsonWebToken verified = new CustomTokenVerifier(session, realm, settings).verify(token);
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (AppUsersSettings.MetadataField field : settings.metadata) {
            Object value = verified.getOtherClaims().get(field.claim);
            if (value == null || value instanceof Map || value instanceof List) {
                if (field.required) {
                    missing.add(field.claim);
                }
                continue;
            }
            String text = value.toString();
            if (text.length() <= 2048) {
                fields.put(field.attribute, text);
            }
        }
        if (!missing.isEmpty()) {
            throw new VerificationException("token lacks required claims " + missing);
        }
        if (NulChars.in(verified.getSubject()) || fields.values().stream().anyMatch(NulChars::in)) {
            throw new VerificationException("token claims contain NUL characters");
        }
        return new CustomTokenIdentity(verified.getSubject(), fields);
    }

    public String subject() {
        return subject;
    }

    /**
     * Writes the mapped fields; an email another user has is left out, a new one is unverified, and
     * so is every attribute the user profile declares read-only for users (the token's claims are
     * the external system's word on what the user supplied; attributes the profile does not declare
     * are written).
     */
    public void applyTo(KeycloakSession session, RealmModel realm, UserModel user) {
        UserProfileAttributes profile = new UserProfileAttributes(session, realm);
        fields.forEach((attribute, value) -> {
            if (profile.readOnlyForUsers(attribute)) {
                return;
            }
            switch (attribute) {
                case "firstName" -> user.setFirstName(value);
                case "lastName" -> user.setLastName(value);
                case "email" -> {
                    UserModel owner = session.users().getUserByEmail(realm, value);
                    if (owner == null) {
                        // A new address: nobody proved control of it here, whatever the old one was.
                        user.setEmail(value);
                        user.setEmailVerified(false);
                    }
                }
                case "username", "enabled", "emailVerified" -> {
                    // Keycloak's own fields, not for an external token to set.
                }
                default -> {
                    if (!UserProfileAttributes.keycloakOwned(attribute)) {
                        user.setSingleAttribute(attribute, value);
                    }
                }
            }
        });
    }
}
