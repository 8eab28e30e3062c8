package io.github.appusers.apikeys;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * An API key: only the SHA-256 of its secret part is stored. A user key belongs to its user; a
 * server key belongs to its own service user (created with the key, deleted with it). Rows go
 * with their user through a foreign key with ON DELETE CASCADE.
 */
@Entity(name = "AppUsersApiKey")
@Table(name = "APP_USERS_API_KEY")
@NamedQueries({
        @NamedQuery(name = "appUsersApiKeysOfUser",
                query = "select k from AppUsersApiKey k where k.userId = :userId and k.server = false"
                        + " order by k.createdAt, k.id"),
        @NamedQuery(name = "appUsersServerApiKeys",
                query = "select k from AppUsersApiKey k where k.realmId = :realmId and k.server = true"
                        + " order by k.createdAt, k.id"),
        @NamedQuery(name = "appUsersCountApiKeysOfUser",
                query = "select count(k) from AppUsersApiKey k where k.userId = :userId and k.server = false"),
        @NamedQuery(name = "appUsersDisableApiKeysOfUser",
                query = "update AppUsersApiKey k set k.enabled = false where k.userId = :userId and k.server = false"
                        + " and k.enabled = true"),
        @NamedQuery(name = "appUsersTouchApiKey",
                query = "update AppUsersApiKey k set k.lastUsedAt = :now where k.id = :id"
                        + " and (k.lastUsedAt is null or k.lastUsedAt < :threshold)"),
})
public class ApiKeyEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "USER_ID", length = 36, nullable = false)
    private String userId;

    @Column(name = "NAME", length = 255, nullable = false)
    private String name;

    @Column(name = "SECRET_HASH", length = 64, nullable = false)
    private String secretHash;

    @Column(name = "SERVER_KEY", nullable = false)
    private boolean server;

    @Column(name = "ENABLED", nullable = false)
    private boolean enabled;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "LAST_USED_AT")
    private Long lastUsedAt;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getSecretHash() {
        return secretHash;
    }

    public void setSecretHash(String secretHash) {
        this.secretHash = secretHash;
    }

    public boolean isServer() {
        return server;
    }

    public void setServer(boolean server) {
        this.server = server;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }

    public Long getLastUsedAt() {
        return lastUsedAt;
    }

    public void setLastUsedAt(Long lastUsedAt) {
        this.lastUsedAt = lastUsedAt;
    }
}
