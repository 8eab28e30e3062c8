package io.github.appusers.emailpassword;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * The one live confirmation or reset token of a user (a unique constraint on user and purpose):
 * issuing a new one replaces the old, so a resend invalidates earlier links. Only a SHA-256 hash
 * of the token is stored; the row goes when it is used, and with its user (foreign key cascade).
 * While a user has a confirmation row, its registration is pending; the row is its claim of the
 * address in {@code EMAIL}, which the user holds only once the claim is confirmed. Reset rows
 * record the address their link was sent to. {@code DELIVERY} tells whether the token went out by
 * email or to a function: only an emailed one proves control of the mailbox.
 */
@Entity(name = "AppUsersEmailToken")
@Table(name = "APP_USERS_EMAIL_TOKEN")
@NamedQueries({
        @NamedQuery(name = "appUsersEmailTokenOfUser",
                query = "select t from AppUsersEmailToken t where t.userId = :userId and t.purpose = :purpose"),
        @NamedQuery(name = "appUsersPendingUserIds",
                query = "select t.userId from AppUsersEmailToken t where t.realmId = :realmId and t.purpose = 'confirm'"),
        @NamedQuery(name = "appUsersClaimsOfEmail",
                query = "select t from AppUsersEmailToken t where t.realmId = :realmId and t.purpose = 'confirm'"
                        + " and t.email = :email order by t.createdAt desc, t.id"),
})
public class EmailTokenEntity {

    /** The token_id of the link. */
    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "USER_ID", length = 36, nullable = false)
    private String userId;

    /** {@code confirm} or {@code reset}. */
    @Column(name = "PURPOSE", length = 16, nullable = false)
    private String purpose;

    /** Lowercase hex SHA-256 of the token. */
    @Column(name = "TOKEN_HASH", length = 64, nullable = false)
    private String tokenHash;

    /** The claimed address (confirm) or the address the link went to (reset); null in rows of old versions. */
    @Column(name = "EMAIL", length = 255)
    private String email;

    /** {@code email} or {@code function} (see {@link EmailTokens.Delivery}); null in rows of old versions (emailed). */
    @Column(name = "DELIVERY", length = 16)
    private String delivery;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "EXPIRES_AT", nullable = false)
    private long expiresAt;

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

    public String getPurpose() {
        return purpose;
    }

    public void setPurpose(String purpose) {
        this.purpose = purpose;
    }

    public String getTokenHash() {
        return tokenHash;
    }

    public void setTokenHash(String tokenHash) {
        this.tokenHash = tokenHash;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public String getDelivery() {
        return delivery;
    }

    public void setDelivery(String delivery) {
        this.delivery = delivery;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }

    public long getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(long expiresAt) {
        this.expiresAt = expiresAt;
    }
}
