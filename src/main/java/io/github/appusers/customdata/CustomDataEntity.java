package io.github.appusers.customdata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A user's custom data document (a JSON object), with a version for optimistic concurrency: a
 * write names the version it read and loses (412) if someone wrote in between. The row goes with
 * its user through a foreign key with ON DELETE CASCADE. Keyed by user id: one indexed lookup.
 */
@Entity(name = "AppUsersCustomData")
@Table(name = "APP_USERS_CUSTOM_DATA")
@NamedQueries({
        @NamedQuery(name = "appUsersCustomDataCompareAndSet",
                query = "update AppUsersCustomData d set d.data = :data, d.version = d.version + 1, d.updatedAt = :now"
                        + " where d.userId = :userId and d.version = :version"),
})
public class CustomDataEntity {

    @Id
    @Column(name = "USER_ID", length = 36)
    private String userId;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "DATA", nullable = false)
    private String data;

    @Column(name = "VERSION", nullable = false)
    private long version;

    @Column(name = "UPDATED_AT", nullable = false)
    private long updatedAt;

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getData() {
        return data;
    }

    public void setData(String data) {
        this.data = data;
    }

    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    public long getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(long updatedAt) {
        this.updatedAt = updatedAt;
    }
}
