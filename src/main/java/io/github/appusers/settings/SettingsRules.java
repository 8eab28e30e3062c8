package io.github.appusers.settings;

import java.net.URI;
import java.util.Set;

import io.github.appusers.settings.AppUsersSettings.ConfirmationMode;
import io.github.appusers.settings.AppUsersSettings.ResetMode;

import io.github.appusers.common.UrlPolicy;
import io.github.appusers.settings.SettingsCodec.InvalidSettingsException;

/**
 * What a settings document must be, beyond its JSON types ({@link SettingsCodec}): each rule
 * names the setting it refuses, as {@code setting 'section.field' ...}.
 */
final class SettingsRules {

    /** User attributes Keycloak itself owns; custom data must not overwrite them. */
    private static final Set<String> RESERVED_ATTRIBUTES = Set.of("username", "email", "firstName", "lastName",
            "emailVerified", "enabled", "locale");

    private SettingsRules() {
    }

    /** The rules every document meets, stored or written: types aside (the codec's), ranges, modes, URLs, names. */
    static void validate(AppUsersSettings s) throws InvalidSettingsException {
        range("anonymous.max_per_ip_per_hour", s.anonymous.maxPerIpPerHour, 0, 1_000_000);
        range("anonymous.purge_inactive_days", s.anonymous.purgeInactiveDays, 0, 36_500);

        var ep = s.emailPassword;
        present("email_password.confirmation", ep.confirmation, ConfirmationMode.class);
        present("email_password.reset", ep.reset, ResetMode.class);
        if (ep.confirmation == ConfirmationMode.FUNCTION) {
            required("email_password.confirmation_function", ep.confirmationFunction);
        }
        if (ep.reset == ResetMode.FUNCTION) {
            required("email_password.reset_function", ep.resetFunction);
        }
        url("email_password.confirmation_url", ep.confirmationUrl);
        url("email_password.reset_url", ep.resetUrl);
        range("email_password.token_ttl_seconds", ep.tokenTtlSeconds, 60, 7 * 24 * 3600);
        range("email_password.resend_cooldown_seconds", ep.resendCooldownSeconds, 0, 24 * 3600);
        range("email_password.max_requests_per_ip_per_hour", ep.maxRequestsPerIpPerHour, 0, 1_000_000);
        range("custom_function.max_logins_per_ip_per_minute", s.customFunction.maxLoginsPerIpPerMinute, 0, 1_000_000);

        var ct = s.customToken;
        url("custom_token.jwks_url", ct.jwksUrl);
        if (ct.metadata == null) {
            throw new InvalidSettingsException("setting 'custom_token.metadata' must be a list");
        }
        for (int i = 0; i < ct.metadata.size(); i++) {
            var field = ct.metadata.get(i);
            if (field == null) {
                throw new InvalidSettingsException("setting 'custom_token.metadata." + i + "' must be an object");
            }
            required("custom_token.metadata." + i + ".claim", field.claim);
            required("custom_token.metadata." + i + ".attribute", field.attribute);
        }

        range("custom_data.max_bytes", s.customData.maxBytes, 2, 1024 * 1024);
        if (s.customData.copyToAttributes == null || s.customData.copyToAttributes.size() > 20) {
            throw new InvalidSettingsException("setting 'custom_data.copy_to_attributes' must be a list of at most 20 names");
        }
        for (String field : s.customData.copyToAttributes) {
            if (field == null || !field.matches("[A-Za-z][A-Za-z0-9_.-]{0,63}") || RESERVED_ATTRIBUTES.contains(field)) {
                throw new InvalidSettingsException("setting 'custom_data.copy_to_attributes' holds an invalid or reserved"
                        + " attribute name");
            }
        }
        range("custom_token.max_age_seconds", ct.maxAgeSeconds, 1, 7 * 24 * 3600);
        range("api_keys.max_per_user", s.apiKeys.maxPerUser, 0, 1000);
        range("recent_login_seconds", s.recentLoginSeconds, 1, 30 * 24 * 3600);
    }

    /**
     * The rules a document must also meet to be written (by the REST API or the console tab), on
     * top of {@link #validate}'s: trust in external tokens must be explicit. Documents stored by
     * earlier versions are still read without them; the custom JWT grant refuses what they lack.
     */
    static void validateForWrite(AppUsersSettings s) throws InvalidSettingsException {
        var ct = s.customToken;
        if (ct.jwksUrl != null) {
            String problem = UrlPolicy.problem(ct.jwksUrl);
            if (problem != null) {
                throw new InvalidSettingsException("setting 'custom_token.jwks_url' " + problem);
            }
        }
        if (ct.enabled) {
            required("custom_token.issuer", ct.issuer);
            required("custom_token.audience", ct.audience);
            if (ct.jwksUrl != null && ct.hs256Secret != null) {
                throw new InvalidSettingsException("setting 'custom_token.hs256_secret' cannot be set with "
                        + "'custom_token.jwks_url': a realm trusts one algorithm, RS256 from the JWKS or HS256");
            }
            if (ct.jwksUrl == null && ct.hs256Secret == null) {
                throw new InvalidSettingsException("setting 'custom_token.jwks_url' or 'custom_token.hs256_secret' is "
                        + "required: custom JWT login needs a key to verify tokens with");
            }
        }
    }

    private static void range(String name, int value, int min, int max) throws InvalidSettingsException {
        if (value < min || value > max) {
            throw new InvalidSettingsException("setting '" + name + "' must be between " + min + " and " + max);
        }
    }

    /** A mode must be set; a value that is none of its names the codec refuses already ({@link #notOneOf}). */
    private static void present(String name, Enum<?> value, Class<? extends Enum<?>> type) throws InvalidSettingsException {
        if (value == null) {
            throw notOneOf(name, type);
        }
    }

    /** The refusal of a value that is none of a mode's JSON names, listing them in their order. */
    static InvalidSettingsException notOneOf(String name, Class<?> type) {
        return new InvalidSettingsException("setting '" + name + "' must be one of " + SettingsCodec.jsonNames(type));
    }

    private static void required(String name, String value) throws InvalidSettingsException {
        if (value == null || value.isBlank()) {
            throw new InvalidSettingsException("setting '" + name + "' is required");
        }
    }

    private static void url(String name, String value) throws InvalidSettingsException {
        if (value == null) {
            return;
        }
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new InvalidSettingsException("setting '" + name + "' must be an absolute http(s) URL");
            }
        } catch (java.net.URISyntaxException e) {
            throw new InvalidSettingsException("setting '" + name + "' must be an absolute http(s) URL");
        }
    }
}
