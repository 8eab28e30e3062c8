package io.github.appusers.account;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.identity.Identity;

/** The body of {@code GET /me} (docs/linking.md). Timestamps are epoch milliseconds. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public final class MeRepresentation {

    @JsonProperty("id")
    public String id;

    @JsonProperty("is_anonymous")
    public boolean isAnonymous;

    @JsonProperty("email")
    public String email;

    @JsonProperty("email_verified")
    public boolean emailVerified;

    @JsonProperty("identities")
    public List<Identity> identities;

    /** The user's custom data document ({} when there is none). */
    @JsonProperty("custom_data")
    public JsonNode customData;

    @JsonProperty("created_at")
    public Long createdAt;

    /** The last login through one of the user's app-users identities; null when there was none. */
    @JsonProperty("last_login_at")
    public Long lastLoginAt;
}
