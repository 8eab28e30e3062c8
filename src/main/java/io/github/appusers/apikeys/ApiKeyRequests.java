package io.github.appusers.apikeys;

import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.JsonBodies;

/** Reading the small bodies of key creation. */
final class ApiKeyRequests {

    private ApiKeyRequests() {
    }

    static String name(InputStream body) {
        JsonNode name = JsonBodies.readObject(body, 4096).get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > 255
                || name.asText().chars().anyMatch(Character::isISOControl)) {
            throw AppUsersError.invalidRequest("name is required: a string of 1 to 255 characters, no control characters");
        }
        return name.asText().trim();
    }
}
