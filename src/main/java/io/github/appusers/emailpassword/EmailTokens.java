package io.github.appusers.emailpassword;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.github.appusers.common.NulChars;
import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/** Issues and consumes the single-use, expiring tokens of confirmation and reset links. */
public final class EmailTokens {

    public static final String CONFIRM = "confirm";
    public static final String RESET = "reset";

    private final EntityManager em;

    public EmailTokens(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** A freshly issued token: the values that go into the link. */
    public record Issued(String token, String tokenId, long expiresAt) {
    }

    /**
     * How a token reaches its holder. Only an emailed token proves, when it is used, that its user
     * controls the mailbox; a token handed to the realm's confirmation or reset function proves
     * nothing about the mailbox (the function may pass it on by any channel, or to anyone).
     */
    public enum Delivery {
        EMAIL, FUNCTION;

        String stored() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Rows of earlier versions have none: {@code unrecorded} (how the realm's current mode for
         * the purpose delivers). An unknown value counts as a function's: it proves nothing.
         */
        static Delivery of(String stored, Delivery unrecorded) {
            if (stored == null) {
                return unrecorded;
            }
            return "email".equals(stored) ? EMAIL : FUNCTION;
        }
    }

    /**
     * Issues a new token for {@code email} (a confirmation: the user's claim of the address; a reset:
     * where the link goes), replacing (and so invalidating) any earlier one of that purpose.
     */
    public Issued issue(RealmModel realm, UserModel user, String purpose, int ttlSeconds, String email,
            Delivery delivery) {
        find(user.getId(), purpose).ifPresent(old -> {
            em.remove(old);
            em.flush();
        });
        String token = EmailTokenRules.newToken();
        EmailTokenEntity entity = new EmailTokenEntity();
        entity.setId(KeycloakModelUtils.generateId());
        entity.setRealmId(realm.getId());
        entity.setUserId(user.getId());
        entity.setPurpose(purpose);
        entity.setTokenHash(EmailTokenRules.hash(token));
        entity.setEmail(email);
        entity.setDelivery(delivery.stored());
        entity.setCreatedAt(System.currentTimeMillis());
        entity.setExpiresAt(EmailTokenRules.expiresAt(entity.getCreatedAt(), ttlSeconds));
        em.persist(entity);
        em.flush();
        return new Issued(token, entity.getId(), entity.getExpiresAt());
    }

    /** Outcome of presenting a token. */
    public enum Check {
        VALID, INVALID, EXPIRED
    }

    /**
     * The outcome, and when it was valid the token's user, address (null in tokens of old versions)
     * and how it was delivered.
     */
    public record Consumed(Check check, String userId, String email, Delivery delivery) {

        /** True when the token went to the mailbox, so using it proves control of the address. */
        public boolean emailed() {
            return delivery == Delivery.EMAIL;
        }
    }

    /**
     * Checks token and token_id; a valid token is consumed (single use). {@code unrecorded}: how a
     * token of an earlier version, which did not record it, counts as delivered.
     */
    public Consumed consume(RealmModel realm, String tokenId, String token, String purpose, Delivery unrecorded) {
        if (!EmailTokenRules.presentable(tokenId, token)) {
            return new Consumed(Check.INVALID, null, null, null);
        }
        EmailTokenEntity entity = em.find(EmailTokenEntity.class, tokenId);
        Check check = EmailTokenRules.check(entity, realm.getId(), purpose, token, System.currentTimeMillis());
        if (check != Check.VALID) {
            return new Consumed(check, null, null, null);
        }
        em.remove(entity);
        em.flush();
        return new Consumed(Check.VALID, entity.getUserId(), entity.getEmail(), Delivery.of(entity.getDelivery(), unrecorded));
    }

    public boolean exists(String userId, String purpose) {
        return find(userId, purpose).isPresent();
    }

    public void remove(String userId, String purpose) {
        find(userId, purpose).ifPresent(em::remove);
    }

    /** The address the user's pending confirmation claims, if it has one. */
    public Optional<String> claimedEmail(String userId) {
        return find(userId, CONFIRM).map(EmailTokenEntity::getEmail);
    }

    /** The pending claims of an address, newest first, at most {@code max}. */
    public List<EmailTokenEntity> claimsOf(RealmModel realm, String email, int max) {
        if (email == null || NulChars.in(email)) {
            return List.of();
        }
        return em.createNamedQuery("appUsersClaimsOfEmail", EmailTokenEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("email", email)
                .setMaxResults(max).getResultList();
    }

    public List<String> pendingUserIds(RealmModel realm) {
        return em.createNamedQuery("appUsersPendingUserIds", String.class).setParameter("realmId", realm.getId())
                .getResultList();
    }

    private Optional<EmailTokenEntity> find(String userId, String purpose) {
        return em.createNamedQuery("appUsersEmailTokenOfUser", EmailTokenEntity.class)
                .setParameter("userId", userId).setParameter("purpose", purpose)
                .getResultStream().findFirst();
    }
}
