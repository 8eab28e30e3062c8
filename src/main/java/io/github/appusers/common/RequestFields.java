package io.github.appusers.common;

import com.fasterxml.jackson.databind.JsonNode;

/** The fields of JSON request bodies, read with one wording for what is wrong with them. */
public final class RequestFields {

    private RequestFields() {
    }

    /** A string field that must be present, not blank and at most {@code maxLength} characters; {@code 400} otherwise. */
    public static String requiredText(JsonNode body, String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank() || node.asText().length() > maxLength) {
            throw AppUsersError.invalidRequest(field + " is required: a non-empty string of at most " + maxLength
                    + " characters");
        }
        return node.asText();
    }

    /**
     * A string field that may be absent (or null): then null; a present one must be a string of at
     * most {@code maxLength} characters, {@code 400} otherwise.
     */
    public static String optionalText(JsonNode body, String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().length() > maxLength) {
            throw AppUsersError.invalidRequest(field + " must be a string of at most " + maxLength + " characters");
        }
        return node.asText();
    }

    /** The field {@code email}: a valid address ({@link EmailAddresses}), normalised; {@code 400} otherwise. */
    public static String email(JsonNode body) {
        JsonNode node = body.get("email");
        if (node == null || !node.isTextual()) {
            throw AppUsersError.invalidRequest("email is required and must be a string");
        }
        String email = EmailAddresses.normalize(node.asText());
        if (!EmailAddresses.isValid(email)) {
            throw AppUsersError.invalidRequest("email is not a valid email address");
        }
        return email;
    }
}
