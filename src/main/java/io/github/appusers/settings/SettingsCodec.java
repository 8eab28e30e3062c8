package io.github.appusers.settings;

import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.github.appusers.common.UrlPolicy;

/**
 * Pure logic of the settings document: defaults, strict merge of a partial document, validation
 * and the stored form. Strict means a wrong type is refused rather than coerced ("100" is not a
 * number, 1 is not a boolean), and an unknown field is refused rather than ignored.
 */
public final class SettingsCodec {

    private static final Set<String> CONFIRMATION_MODES = Set.of("auto", "email", "function");
    private static final Set<String> RESET_MODES = Set.of("email", "function");
    /** User attributes Keycloak itself owns; custom data must not overwrite them. */
    private static final Set<String> RESERVED_ATTRIBUTES = Set.of("username", "email", "firstName", "lastName",
            "emailVerified", "enabled", "locale");

    private static final ObjectMapper MAPPER = strictMapper();

    private SettingsCodec() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .serializationInclusion(JsonInclude.Include.ALWAYS)
                .build();
        // Numbers and booleans are not strings either.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    public static AppUsersSettings defaults() {
        return new AppUsersSettings();
    }

    /** What admins see instead of a stored secret; sending it back keeps the secret. */
    public static final String SECRET_MASK = "**********";

    /** The full document, every field present (nulls included). */
    public static ObjectNode toJson(AppUsersSettings settings) {
        return MAPPER.valueToTree(settings);
    }

    /** As {@link #toJson}, with secrets masked: what GET, PUT answers and admin events show. */
    public static ObjectNode toPublicJson(AppUsersSettings settings) {
        ObjectNode json = toJson(settings);
        ObjectNode customToken = (ObjectNode) json.get("custom_token");
        if (customToken.hasNonNull("hs256_secret")) {
            customToken.put("hs256_secret", SECRET_MASK);
        }
        return json;
    }

    /**
     * The settings as admins see them (GET, PUT answers, the console tab): a derived setting
     * ({@code account_deletion.enabled}) holds its effective value. {@code adminRealm}: the realm
     * is Keycloak's admin realm ({@code master}).
     */
    public static AppUsersSettings effective(AppUsersSettings settings, boolean adminRealm) {
        ObjectNode json = toJson(settings);
        ((ObjectNode) json.get("account_deletion")).put("enabled", settings.accountDeletionAllowed(adminRealm));
        try {
            return MAPPER.treeToValue(json, AppUsersSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("settings cannot be copied", e);
        }
    }

    /**
     * {@code patch} without a derived setting that it sends with the value admins are shown now.
     * Read-modify-write tools ({@code kcadm.sh update}, the console tab) send every field back,
     * and an unchanged value is no decision: it must not pin a default that follows the features
     * (kcadm turning the first feature on would otherwise pin account deletion off). A value that
     * differs from the shown one is kept, and {@code null} returns to the derived default. Returns
     * a copy when it removes something; {@code patch} itself is not modified.
     */
    public static JsonNode withoutUnchangedDerived(AppUsersSettings current, JsonNode patch, boolean adminRealm) {
        JsonNode section = patch == null ? null : patch.get("account_deletion");
        JsonNode enabled = section == null ? null : section.get("enabled");
        if (enabled == null || !enabled.isBoolean() || enabled.booleanValue() != current.accountDeletionAllowed(adminRealm)) {
            return patch;
        }
        ObjectNode copy = ((ObjectNode) patch).deepCopy();
        ((ObjectNode) copy.get("account_deletion")).remove("enabled");
        return copy;
    }

    /** The document as the realm attribute keeps it: every field, but never a secret (those are stored apart). */
    public static String toStoredForm(AppUsersSettings settings) {
        ObjectNode json = toJson(settings);
        ((ObjectNode) json.get("custom_token")).putNull("hs256_secret");
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("settings cannot be serialised", e);
        }
    }

    /** A deep copy, so that cached settings are never modified. */
    public static AppUsersSettings copy(AppUsersSettings settings) {
        try {
            return MAPPER.treeToValue(toJson(settings), AppUsersSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("settings cannot be copied", e);
        }
    }

    /** Parses a stored (possibly partial, possibly hand-written) document over the defaults. */
    public static AppUsersSettings fromStoredForm(String stored) throws InvalidSettingsException {
        if (stored == null || stored.isBlank()) {
            return defaults();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new InvalidSettingsException("the stored settings are not valid JSON");
        }
        return merge(defaults(), node);
    }

    /**
     * Merges the given sections and fields into {@code current}: a section's fields replace the
     * current ones field by field, lists are replaced whole. Returns a new, validated object;
     * {@code current} is not modified.
     */
    public static AppUsersSettings merge(AppUsersSettings current, JsonNode patch) throws InvalidSettingsException {
        if (patch == null || !patch.isObject()) {
            throw new InvalidSettingsException("settings must be a JSON object");
        }
        ObjectNode merged = toJson(current);
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode target = merged.get(name);
            if (target == null) {
                throw new InvalidSettingsException("unknown setting '" + name + "'");
            }
            if (target.isObject()) {
                mergeSection(name, (ObjectNode) target, field.getValue());
            } else {
                merged.set(name, field.getValue());
            }
        }
        AppUsersSettings result;
        try {
            result = MAPPER.treeToValue(merged, AppUsersSettings.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidSettingsException("unknown setting '" + e.getPropertyName() + "'");
        } catch (MismatchedInputException e) {
            throw new InvalidSettingsException("setting '" + path(e) + "' has the wrong type");
        } catch (JsonProcessingException e) {
            throw new InvalidSettingsException("settings could not be read: " + e.getOriginalMessage());
        }
        validate(result);
        return result;
    }

    private static void mergeSection(String section, ObjectNode target, JsonNode patch) throws InvalidSettingsException {
        if (!patch.isObject()) {
            throw new InvalidSettingsException("setting '" + section + "' must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!target.has(field.getKey())) {
                throw new InvalidSettingsException("unknown setting '" + section + "." + field.getKey() + "'");
            }
            if (field.getValue().isTextual() && SECRET_MASK.equals(field.getValue().asText())) {
                continue; // the masked value an admin read back: keep the stored secret
            }
            target.set(field.getKey(), field.getValue());
        }
    }

    private static String path(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (path.length() > 0) {
                path.append('.');
            }
            path.append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        return path.toString();
    }

    static void validate(AppUsersSettings s) throws InvalidSettingsException {
        range("anonymous.max_per_ip_per_hour", s.anonymous.maxPerIpPerHour, 0, 1_000_000);
        range("anonymous.purge_inactive_days", s.anonymous.purgeInactiveDays, 0, 36_500);

        var ep = s.emailPassword;
        oneOf("email_password.confirmation", ep.confirmation, CONFIRMATION_MODES);
        oneOf("email_password.reset", ep.reset, RESET_MODES);
        if ("function".equals(ep.confirmation)) {
            required("email_password.confirmation_function", ep.confirmationFunction);
        }
        if ("function".equals(ep.reset)) {
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
     * top of {@link #merge}'s: trust in external tokens must be explicit. Documents stored by
     * earlier versions are still read without them; the custom JWT grant refuses what they lack.
     */
    public static void validateForWrite(AppUsersSettings s) throws InvalidSettingsException {
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

    private static void oneOf(String name, String value, Set<String> allowed) throws InvalidSettingsException {
        if (value == null || !allowed.contains(value)) {
            throw new InvalidSettingsException("setting '" + name + "' must be one of " + allowed);
        }
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

    /** A settings document that cannot be accepted; the message says which field and why. */
    public static final class InvalidSettingsException extends Exception {
        public InvalidSettingsException(String message) {
            super(message);
        }
    }
}
