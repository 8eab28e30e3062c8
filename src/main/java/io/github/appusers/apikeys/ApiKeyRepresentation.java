package io.github.appusers.apikeys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An API key as the endpoints show it; {@code key} (the value) only in the creation response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ApiKeyRepresentation {

    @JsonProperty("id")
    public String id;
    @JsonProperty("name")
    public String name;
    @JsonProperty("enabled")
    public boolean enabled;
    @JsonProperty("created_at")
    public long createdAt;
    @JsonProperty("last_used_at")
    public Long lastUsedAt;
    @JsonProperty("user_id")
    public String userId;
    @JsonProperty("key")
    public String key;

    static ApiKeyRepresentation of(ApiKeyEntity entity) {
        ApiKeyRepresentation view = new ApiKeyRepresentation();
        view.id = entity.getId();
        view.name = entity.getName();
        view.enabled = entity.isEnabled();
        view.createdAt = entity.getCreatedAt();
        view.lastUsedAt = entity.getLastUsedAt();
        view.userId = entity.getUserId();
        return view;
    }
}
