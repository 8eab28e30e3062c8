package io.github.appusers.functions;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.common.EmailAddresses;
import io.github.appusers.common.NulChars;
import io.github.appusers.common.UserProfileAttributes;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * A login function's answer {@code {"id", "name"?, "email"?, "attributes"?}}, checked before
 * anything is written: a missing or unusable id fails the login.
 */
final class LoginAnswer {

    static final int MAX_ID_LENGTH = 255;
    private static final int MAX_ATTRIBUTES = 50;
    private static final int MAX_VALUE_LENGTH = 2048;
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    final String id;
    final String name;
    final String email;
    final Map<String, List<String>> attributes;

    private LoginAnswer(String id, String name, String email, Map<String, List<String>> attributes) {
        this.id = id;
        this.name = name;
        this.email = email;
        this.attributes = attributes;
    }

    static LoginAnswer parse(FunctionDefinition function, JsonNode answer) throws FunctionException {
        if (!answer.isObject()) {
            throw FunctionException.failed(function, "answer is not a JSON object");
        }
        JsonNode id = answer.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()
                || id.asText().length() > MAX_ID_LENGTH) {
            throw FunctionException.failed(function, "answer has no usable 'id' (a non-empty string of at most "
                    + MAX_ID_LENGTH + " characters)");
        }
        String name = optionalText(function, answer, "name");
        String email = optionalText(function, answer, "email");
        if (email != null && !EmailAddresses.isValid(email)) {
            throw FunctionException.failed(function, "answer has an invalid 'email'");
        }
        Map<String, List<String>> attributes = new java.util.LinkedHashMap<>();
        JsonNode node = answer.get("attributes");
        if (node != null && !node.isNull()) {
            if (!node.isObject() || node.size() > MAX_ATTRIBUTES) {
                throw FunctionException.failed(function, "'attributes' must be an object of at most "
                        + MAX_ATTRIBUTES + " fields");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!ATTRIBUTE_NAME.matcher(field.getKey()).matches()) {
                    throw FunctionException.failed(function, "attribute name '" + field.getKey() + "' is not allowed");
                }
                attributes.put(field.getKey(), values(function, field.getValue()));
            }
        }
        if (NulChars.in(id.asText()) || NulChars.in(name) || NulChars.in(email)
                || attributes.values().stream().flatMap(List::stream).anyMatch(NulChars::in)) {
            throw FunctionException.failed(function, "answer contains NUL characters");
        }
        return new LoginAnswer(id.asText(), name, email, attributes);
    }

    /**
     * Fills a new user's profile from the answer; an email another user has is left out, and so is
     * every attribute the user profile declares read-only for users (the function relays what a
     * user sent; attributes the profile does not declare are written as they come).
     */
    void applyTo(KeycloakSession session, RealmModel realm, UserModel user) {
        UserProfileAttributes profile = new UserProfileAttributes(session, realm);
        if (name != null && !profile.readOnlyForUsers(UserModel.FIRST_NAME)) {
            user.setFirstName(name);
        }
        if (email != null && !profile.readOnlyForUsers(UserModel.EMAIL)
                && session.users().getUserByEmail(realm, email) == null) {
            user.setEmail(email);
            user.setEmailVerified(false);
        }
        attributes.forEach((attribute, values) -> {
            if (!UserProfileAttributes.keycloakOwned(attribute) && !profile.readOnlyForUsers(attribute)) {
                user.setAttribute(attribute, values);
            }
        });
    }

    private static String optionalText(FunctionDefinition function, JsonNode answer, String field)
            throws FunctionException {
        JsonNode node = answer.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().length() > 255) {
            throw FunctionException.failed(function, "'" + field + "' must be a string of at most 255 characters");
        }
        return node.asText().isBlank() ? null : node.asText();
    }

    private static List<String> values(FunctionDefinition function, JsonNode node) throws FunctionException {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                values.add(value(function, item));
            }
        } else {
            values.add(value(function, node));
        }
        return values;
    }

    private static String value(FunctionDefinition function, JsonNode node) throws FunctionException {
        if (!node.isValueNode() || node.isNull() || node.asText().length() > MAX_VALUE_LENGTH) {
            throw FunctionException.failed(function, "attribute values must be strings, numbers or booleans of at most "
                    + MAX_VALUE_LENGTH + " characters");
        }
        return node.asText();
    }
}
