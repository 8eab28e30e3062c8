package io.github.appusers.apikeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import io.github.appusers.common.NulChars;
import io.github.appusers.common.Sha256;
import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * API keys: {@code ak.<key id>.<secret>}, 256 random bits of secret. Only SHA-256 of the secret
 * is stored: for a long random secret a fast hash is right (nothing to brute-force, and a slow
 * hash would make every API-key login pay for it); presented secrets are compared in constant time.
 */
public final class ApiKeyStore {

    /** Compared against when no key matches, so an unknown id costs what a wrong secret costs. */
    private static final String NO_KEY_HASH = Sha256.hex("no-such-key");
    private static final long TOUCH_RESOLUTION_MILLIS = 60_000;

    private final EntityManager em;

    public ApiKeyStore(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** A new key and the only copy of its value. */
    public record Created(ApiKeyEntity key, String value) {
    }

    public Created create(RealmModel realm, UserModel user, String name, boolean server) {
        String secretText = ApiKeyFormat.newSecret();
        ApiKeyEntity key = new ApiKeyEntity();
        key.setId(KeycloakModelUtils.generateId());
        key.setRealmId(realm.getId());
        key.setUserId(user.getId());
        key.setName(name);
        key.setServer(server);
        key.setEnabled(true);
        key.setSecretHash(Sha256.hex(secretText));
        key.setCreatedAt(System.currentTimeMillis());
        em.persist(key);
        return new Created(key, ApiKeyFormat.value(key.getId(), secretText));
    }

    /** The enabled key of the realm with this value, if any. */
    public Optional<ApiKeyEntity> verify(RealmModel realm, String value) {
        Optional<ApiKeyFormat.Parts> parts = ApiKeyFormat.parse(value);
        if (parts.isEmpty()) {
            equal(NO_KEY_HASH, Sha256.hex(value == null ? "" : value));
            return Optional.empty();
        }
        ApiKeyEntity key = em.find(ApiKeyEntity.class, parts.get().keyId());
        boolean known = key != null && key.getRealmId().equals(realm.getId());
        boolean right = equal(known ? key.getSecretHash() : NO_KEY_HASH, Sha256.hex(parts.get().secret()));
        return known && right && key.isEnabled() ? Optional.of(key) : Optional.empty();
    }

    public void touch(ApiKeyEntity key) {
        long now = System.currentTimeMillis();
        if (key.getLastUsedAt() != null && key.getLastUsedAt() >= now - TOUCH_RESOLUTION_MILLIS) {
            return;
        }
        em.createNamedQuery("appUsersTouchApiKey").setParameter("now", now).setParameter("id", key.getId())
                .setParameter("threshold", now - TOUCH_RESOLUTION_MILLIS).executeUpdate();
    }

    /** Disables every user key of the user (server keys have users of their own); the number disabled. */
    public int disableUserKeys(String userId) {
        return em.createNamedQuery("appUsersDisableApiKeysOfUser").setParameter("userId", userId).executeUpdate();
    }

    public List<ApiKeyEntity> ofUser(UserModel user) {
        return em.createNamedQuery("appUsersApiKeysOfUser", ApiKeyEntity.class).setParameter("userId", user.getId())
                .getResultList();
    }

    public long countOfUser(UserModel user) {
        return em.createNamedQuery("appUsersCountApiKeysOfUser", Long.class).setParameter("userId", user.getId())
                .getSingleResult();
    }

    public List<ApiKeyEntity> serverKeys(RealmModel realm) {
        return em.createNamedQuery("appUsersServerApiKeys", ApiKeyEntity.class).setParameter("realmId", realm.getId())
                .getResultList();
    }

    public Optional<ApiKeyEntity> find(RealmModel realm, String id) {
        if (id == null || id.length() > 36 || NulChars.in(id)) {
            return Optional.empty();
        }
        return Optional.ofNullable(em.find(ApiKeyEntity.class, id)).filter(k -> k.getRealmId().equals(realm.getId()));
    }

    public void delete(ApiKeyEntity key) {
        em.remove(key);
    }

    private static boolean equal(String expectedHash, String actualHash) {
        return MessageDigest.isEqual(expectedHash.getBytes(StandardCharsets.US_ASCII),
                actualHash.getBytes(StandardCharsets.US_ASCII));
    }
}
