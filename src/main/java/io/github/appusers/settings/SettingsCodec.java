package io.github.appusers.settings;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Pure logic of the settings document: defaults, strict merge of a partial document, the stored
 * and the public forms (what each field must be: {@link SettingsRules}). Strict means a wrong type is refused rather than coerced ("100" is not a
 * number, 1 is not a boolean), and an unknown field is refused rather than ignored.
 */
public final class SettingsCodec {

    private static final ObjectMapper MAPPER = strictMapper();

    private SettingsCodec() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // A mode is its name: 1 is not "email" (Jackson would take it as the constant's index).
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
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
        return AppUsersSettings.DEFAULTS;
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

    /** {@code settings} with its HS256 secret replaced (settings are immutable). */
    public static AppUsersSettings withHs256Secret(AppUsersSettings settings, String secret) {
        ObjectNode json = toJson(settings);
        ((ObjectNode) json.get("custom_token")).put("hs256_secret", secret);
        try {
            return MAPPER.treeToValue(json, AppUsersSettings.class);
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
        } catch (InvalidFormatException e) {
            if (e.getTargetType() != null && e.getTargetType().isEnum() && e.getValue() instanceof String) {
                throw SettingsRules.notOneOf(path(e), e.getTargetType());
            }
            throw new InvalidSettingsException("setting '" + path(e) + "' has the wrong type");
        } catch (MismatchedInputException e) {
            throw new InvalidSettingsException("setting '" + path(e) + "' has the wrong type");
        } catch (JsonProcessingException e) {
            throw new InvalidSettingsException("settings could not be read: " + e.getOriginalMessage());
        }
        SettingsRules.validate(result);
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

    /** The JSON names of a mode's constants (an enum of the settings), in their order. */
    static List<String> jsonNames(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(constant -> MAPPER.valueToTree(constant).asText()).toList();
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

    /** A settings document that cannot be accepted; the message says which field and why. */
    public static final class InvalidSettingsException extends Exception {
        public InvalidSettingsException(String message) {
            super(message);
        }
    }
}
