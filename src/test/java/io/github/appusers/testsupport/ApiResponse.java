package io.github.appusers.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;

import com.fasterxml.jackson.databind.JsonNode;

/** Status, body and headers of one response; {@link #json()} parses the body. */
public record ApiResponse(int status, String body, HttpHeaders headers) {

    public JsonNode json() {
        try {
            return Api.JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
        }
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** The OAuth error code of an error body. */
    public String error() {
        return json().path("error").asText(null);
    }

    /** The error_description of an error body. */
    public String errorDescription() {
        return json().path("error_description").asText(null);
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
