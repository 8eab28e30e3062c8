package io.github.appusers.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One way into a user: (provider_type, provider_id) belongs to at most one user per realm, which
 * the database enforces with a unique constraint. Rows go with their user through a foreign key
 * with ON DELETE CASCADE, whichever code path deletes the user.
 */
@Entity(name = "AppUsersIdentity")
@Table(name = "APP_USERS_IDENTITY")
@NamedQueries({
        @NamedQuery(name = "appUsersIdentitiesOfUser",
                query = "select i from AppUsersIdentity i where i.userId = :userId order by i.createdAt, i.id"),
        @NamedQuery(name = "appUsersIdentityByProvider",
                query = "select i from AppUsersIdentity i where i.realmId = :realmId and i.providerType = :providerType"
                        + " and i.providerId = :providerId"),
        @NamedQuery(name = "appUsersIdentityTypesOfUser",
                query = "select i.providerType from AppUsersIdentity i where i.userId = :userId"),
        @NamedQuery(name = "appUsersTouchIdentity",
                query = "update AppUsersIdentity i set i.lastUsedAt = :now where i.id = :id"
                        + " and (i.lastUsedAt is null or i.lastUsedAt < :threshold)"),
        @NamedQuery(name = "appUsersStaleAnonymousUsers",
                query = "select i.userId from AppUsersIdentity i where i.realmId = :realmId"
                        + " and i.providerType = 'anon-user' and i.lastUsedAt < :cutoff"
                        + " and not exists (select o.id from AppUsersIdentity o where o.userId = i.userId"
                        + " and o.providerType <> 'anon-user') order by i.lastUsedAt"),
        @NamedQuery(name = "appUsersTouchAnonymousOfUser",
                query = "update AppUsersIdentity i set i.lastUsedAt = :now where i.userId = :userId"
                        + " and i.providerType = 'anon-user' and (i.lastUsedAt is null or i.lastUsedAt < :threshold)"),
        @NamedQuery(name = "appUsersTouchTypeOfUser",
                query = "update AppUsersIdentity i set i.lastUsedAt = :now where i.userId = :userId"
                        + " and i.providerType = :providerType and (i.lastUsedAt is null or i.lastUsedAt < :threshold)"),
        @NamedQuery(name = "appUsersIdentitiesOfType",
                query = "select i from AppUsersIdentity i where i.realmId = :realmId and i.providerType = :providerType"
                        + " order by i.createdAt, i.id"),
        @NamedQuery(name = "appUsersLastLoginOfUser",
                query = "select max(i.lastUsedAt) from AppUsersIdentity i where i.userId = :userId"),
})
public class IdentityEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "USER_ID", length = 36, nullable = false)
    private String userId;

    @Column(name = "PROVIDER_TYPE", length = 64, nullable = false)
    private String providerType;

    @Column(name = "PROVIDER_ID", length = 255, nullable = false)
    private String providerId;

    /** Epoch milliseconds. */
    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    /** Epoch milliseconds of the last login through this identity; null before the first. */
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

    public String getProviderType() {
        return providerType;
    }

    public void setProviderType(String providerType) {
        this.providerType = providerType;
    }

    public String getProviderId() {
        return providerId;
    }

    public void setProviderId(String providerId) {
        this.providerId = providerId;
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
