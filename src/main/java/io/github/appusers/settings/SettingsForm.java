package io.github.appusers.settings;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The settings document as the flat form of the admin console tab: one config property per
 * setting, named {@code section-field} (the console cannot have dots in a field name). Pure logic:
 * settings to form values (secrets masked) and form values to a patch for {@link SettingsCodec},
 * which alone decides what is valid.
 */
public final class SettingsForm {

    private enum Type { BOOLEAN, INTEGER, TEXT, CHOICE, SECRET, JSON_LIST, TEXT_LIST }

    private record Field(String section, String field, Type type, String label, String help, List<String> options) {
        String name() {
            return section == null ? field : section + "-" + field;
        }
    }

    private static final List<Field> FIELDS = List.of(
            field("anonymous", "enabled", Type.BOOLEAN, "Anonymous login", "Anonymous users: the anonymous grant and \"Continue as guest\"."),
            field("anonymous", "max_per_ip_per_hour", Type.INTEGER, "Anonymous users per IP and hour", "New anonymous users per client address and hour; 0 = no limit."),
            field("anonymous", "purge_inactive_days", Type.INTEGER, "Purge anonymous users after (days)", "Anonymous users idle this many days are deleted; 0 = never."),
            field("anonymous", "delete_on_logout", Type.BOOLEAN, "Delete anonymous users on logout", "An anonymous user is deleted when its session ends by logout."),
            field("email_password", "enabled", Type.BOOLEAN, "Email/password", "Registration and login with email and password."),
            choice("email_password", "confirmation", "Confirmation", "How a registration is confirmed.", AppUsersSettings.ConfirmationMode.class),
            field("email_password", "confirmation_function", Type.TEXT, "Confirmation function", "Name of the confirmation function (confirmation = function)."),
            field("email_password", "confirmation_url", Type.TEXT, "Confirmation URL", "The app's page the confirmation email links to; empty = Keycloak's page."),
            field("email_password", "token_ttl_seconds", Type.INTEGER, "Email token lifetime (seconds)", "How long confirmation and reset links stay valid."),
            field("email_password", "resend_cooldown_seconds", Type.INTEGER, "Resend cooldown (seconds)", "Time between two emails to the same address."),
            choice("email_password", "reset", "Password reset", "How a password reset is confirmed.", AppUsersSettings.ResetMode.class),
            field("email_password", "reset_function", Type.TEXT, "Reset function", "Name of the reset function (reset = function)."),
            field("email_password", "reset_url", Type.TEXT, "Reset URL", "The app's page the reset email links to; empty = Keycloak's page."),
            field("email_password", "max_requests_per_ip_per_hour", Type.INTEGER, "Email/password requests per IP and hour", "Register, resend and reset requests per client address and hour; 0 = no limit."),
            field("custom_function", "enabled", Type.BOOLEAN, "Custom function login", "Login through the realm's login functions."),
            field("custom_function", "max_logins_per_ip_per_minute", Type.INTEGER, "Custom function logins per IP and minute", "Custom-function logins and links per client address in any minute; 0 = no limit."),
            field("custom_token", "enabled", Type.BOOLEAN, "Custom JWT login", "Login with a JWT issued by another system."),
            field("custom_token", "issuer", Type.TEXT, "JWT issuer", "Required iss of external JWTs."),
            field("custom_token", "audience", Type.TEXT, "JWT audience", "Required aud of external JWTs."),
            field("custom_token", "jwks_url", Type.TEXT, "JWKS URL", "Where the external system publishes its RS256 keys."),
            field("custom_token", "hs256_secret", Type.SECRET, "HS256 secret", "Shared secret for HS256 JWTs; never shown back. Leave the mask to keep it, clear it to remove it."),
            field("custom_token", "max_age_seconds", Type.INTEGER, "JWT maximum age (seconds)", "Tokens issued (iat) longer ago than this are refused."),
            field("custom_token", "metadata", Type.JSON_LIST, "JWT metadata mapping", "JSON list of {\"claim\", \"attribute\", \"required\"} mapping JWT claims onto user fields."),
            field("custom_data", "user_writable", Type.BOOLEAN, "Users may write custom data", "Users may change their own custom data."),
            field("custom_data", "max_bytes", Type.INTEGER, "Custom data size limit (bytes)", "Largest custom data document of a user."),
            field("custom_data", "copy_to_attributes", Type.TEXT_LIST, "Custom data copied to attributes", "Top-level custom data fields copied into user attributes of the same name, for search; each must be declared in the user profile and editable by users."),
            field("api_keys", "enabled", Type.BOOLEAN, "API keys", "User and server API keys and the api-key grant."),
            field("api_keys", "max_per_user", Type.INTEGER, "API keys per user", "Most API keys one user may hold."),
            field("account_deletion", "enabled", Type.BOOLEAN, "Users may delete their account", "DELETE /me for users without admin roles or user federation; by default on when any feature is on (never in master)."),
            field(null, "recent_login_seconds", Type.INTEGER, "Recent login (seconds)", "Linking, unlinking and account deletion need a login at most this old."));

    private static final ObjectMapper JSON = new ObjectMapper();

    private SettingsForm() {
    }

    private static Field field(String section, String field, Type type, String label, String help) {
        return new Field(section, field, type, label, help, null);
    }

    /** A choice of one of a mode's JSON names. */
    private static Field choice(String section, String field, String label, String help, Class<? extends Enum<?>> mode) {
        return new Field(section, field, Type.CHOICE, label, help, SettingsCodec.jsonNames(mode));
    }

    /** The tab's form, with the defaults a realm without settings has. */
    public static List<ProviderConfigProperty> properties() {
        ObjectNode defaults = SettingsCodec.toJson(SettingsCodec.defaults());
        List<ProviderConfigProperty> properties = new ArrayList<>();
        for (Field f : FIELDS) {
            ProviderConfigProperty property = new ProviderConfigProperty();
            property.setName(f.name());
            property.setLabel(f.label());
            property.setHelpText(f.help() + " (" + path(f) + ")");
            property.setType(switch (f.type()) {
                case BOOLEAN -> ProviderConfigProperty.BOOLEAN_TYPE;
                case INTEGER -> ProviderConfigProperty.INTEGER_TYPE;
                case TEXT -> ProviderConfigProperty.STRING_TYPE;
                case CHOICE -> ProviderConfigProperty.LIST_TYPE;
                case SECRET -> ProviderConfigProperty.PASSWORD;
                case JSON_LIST -> ProviderConfigProperty.TEXT_TYPE;
                case TEXT_LIST -> ProviderConfigProperty.MULTIVALUED_STRING_TYPE;
            });
            property.setSecret(f.type() == Type.SECRET);
            property.setOptions(f.options());
            List<String> value = values(f, value(defaults, f));
            if (!value.isEmpty() && f.type() != Type.TEXT_LIST) {
                property.setDefaultValue(value.get(0));
            }
            properties.add(property);
        }
        return properties;
    }

    /** The form values of {@code settings}: what the tab shows; a set secret shows as the mask. */
    public static MultivaluedHashMap<String, String> toConfig(AppUsersSettings settings) {
        ObjectNode json = SettingsCodec.toJson(settings);
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        for (Field f : FIELDS) {
            List<String> values = values(f, value(json, f));
            if (!values.isEmpty()) {
                config.put(f.name(), values);
            }
        }
        return config;
    }

    /**
     * The settings patch the submitted form means. A text left empty means no value (the console
     * drops empty fields); a number, switch or choice that is missing keeps its current value.
     * Types are checked here, ranges and the rest by {@link SettingsCodec#merge}.
     */
    public static ObjectNode toPatch(MultivaluedHashMap<String, String> config) throws SettingsCodec.InvalidSettingsException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode patch = nodes.objectNode();
        for (Field f : FIELDS) {
            List<String> values = config.getOrDefault(f.name(), List.of()).stream()
                    .filter(v -> v != null && !v.isBlank())
                    .toList();
            String first = values.isEmpty() ? null : values.get(0).trim();
            JsonNode value;
            switch (f.type()) {
                case BOOLEAN -> {
                    if (first == null) {
                        continue;
                    }
                    if (!first.equals("true") && !first.equals("false")) {
                        throw new SettingsCodec.InvalidSettingsException("setting '" + path(f) + "' must be on or off");
                    }
                    value = nodes.booleanNode(Boolean.parseBoolean(first));
                }
                case INTEGER -> {
                    if (first == null) {
                        continue;
                    }
                    try {
                        value = nodes.numberNode(Integer.parseInt(first));
                    } catch (NumberFormatException e) {
                        throw new SettingsCodec.InvalidSettingsException("setting '" + path(f) + "' must be a whole number");
                    }
                }
                case CHOICE -> {
                    if (first == null) {
                        continue;
                    }
                    value = nodes.textNode(first);
                }
                case TEXT, SECRET -> value = first == null ? nodes.nullNode() : nodes.textNode(first);
                case JSON_LIST -> value = first == null ? nodes.arrayNode() : jsonList(f, first);
                case TEXT_LIST -> {
                    ArrayNode list = nodes.arrayNode();
                    values.forEach(v -> list.add(v.trim()));
                    value = list;
                }
                default -> throw new IllegalStateException();
            }
            if (f.section() == null) {
                patch.set(f.field(), value);
            } else {
                ObjectNode section = patch.has(f.section()) ? (ObjectNode) patch.get(f.section()) : patch.putObject(f.section());
                section.set(f.field(), value);
            }
        }
        return patch;
    }

    private static JsonNode jsonList(Field f, String text) throws SettingsCodec.InvalidSettingsException {
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.isArray()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // refused below
        }
        throw new SettingsCodec.InvalidSettingsException("setting '" + path(f) + "' must be a JSON list");
    }

    private static JsonNode value(ObjectNode json, Field f) {
        return f.section() == null ? json.get(f.field()) : json.get(f.section()).get(f.field());
    }

    private static List<String> values(Field f, JsonNode value) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        return switch (f.type()) {
            case SECRET -> List.of(SettingsCodec.SECRET_MASK);
            case JSON_LIST -> value.isEmpty() ? List.of() : List.of(value.toString());
            case TEXT_LIST -> {
                List<String> list = new ArrayList<>();
                value.forEach(v -> list.add(v.asText()));
                yield list;
            }
            default -> List.of(value.asText());
        };
    }

    private static String path(Field f) {
        return f.section() == null ? f.field() : f.section() + "." + f.field();
    }
}
