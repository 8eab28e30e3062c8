package io.github.appusers.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The OAuth-style error body every endpoint of ours answers with. */
public final class ErrorBody {

    @JsonProperty("error")
    public final String error;

    @JsonProperty("error_description")
    public final String errorDescription;

    public ErrorBody(String error, String errorDescription) {
        this.error = error;
        this.errorDescription = errorDescription;
    }
}
