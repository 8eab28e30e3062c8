package io.github.appusers.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An identity as our REST endpoints and claims show it: {@code {"provider_type", "id", ...}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Identity {

    @JsonProperty("provider_type")
    public final String providerType;

    @JsonProperty("id")
    public final String id;

    /** Epoch milliseconds; absent for brokered identities, whose creation Keycloak does not record. */
    @JsonProperty("created_at")
    public final Long createdAt;

    @JsonProperty("last_used_at")
    public final Long lastUsedAt;

    public Identity(String providerType, String id, Long createdAt, Long lastUsedAt) {
        this.providerType = providerType;
        this.id = id;
        this.createdAt = createdAt;
        this.lastUsedAt = lastUsedAt;
    }

    static Identity of(IdentityEntity entity) {
        return new Identity(entity.getProviderType(), entity.getProviderId(), entity.getCreatedAt(),
                entity.getLastUsedAt());
    }
}
