package io.github.appusers.identity;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.NulChars;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import io.github.appusers.common.NewUsers;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/** Reads and writes a realm's identities in our table, in the caller's transaction. */
public final class IdentityStore {

    private final KeycloakSession session;
    private final EntityManager em;

    public IdentityStore(KeycloakSession session) {
        this.session = session;
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** The user's identities: ours first (oldest first), then Keycloak's brokered ones as {@code oauth2-{alias}}. */
    public List<Identity> list(RealmModel realm, UserModel user) {
        List<Identity> identities = new ArrayList<>();
        em.createNamedQuery("appUsersIdentitiesOfUser", IdentityEntity.class)
                .setParameter("userId", user.getId())
                .getResultStream()
                .map(Identity::of)
                .forEach(identities::add);
        session.users().getFederatedIdentitiesStream(realm, user)
                .map(link -> new Identity(ProviderTypes.OAUTH2_PREFIX + link.getIdentityProvider(), link.getUserId(),
                        null, null))
                .forEach(identities::add);
        return identities;
    }

    public Optional<IdentityEntity> find(RealmModel realm, String providerType, String providerId) {
        if (NulChars.in(providerType) || NulChars.in(providerId)) {
            return Optional.empty();
        }
        return em.createNamedQuery("appUsersIdentityByProvider", IdentityEntity.class)
                .setParameter("realmId", realm.getId())
                .setParameter("providerType", providerType)
                .setParameter("providerId", providerId)
                .getResultStream()
                .findFirst();
    }

    /**
     * Adds an identity to the user. The unique constraint decides races between transactions
     * (also across cluster nodes); the loser gets {@link IdentityInUseException} and must let its
     * transaction roll back.
     */
    public IdentityEntity add(RealmModel realm, UserModel user, String providerType, String providerId)
            throws IdentityInUseException {
        return add(realm, user, providerType, providerId, null);
    }

    /** As {@link #add(RealmModel, UserModel, String, String)}, recording a login through it at {@code lastUsedAt}. */
    public IdentityEntity add(RealmModel realm, UserModel user, String providerType, String providerId, Long lastUsedAt)
            throws IdentityInUseException {
        if (NulChars.in(providerType) || NulChars.in(providerId)) {
            throw AppUsersError.invalidRequest("An identity id cannot contain NUL characters");
        }
        if (find(realm, providerType, providerId).isPresent()) {
            throw new IdentityInUseException();
        }
        return insert(realm, user, providerType, providerId, lastUsedAt);
    }

    /**
     * Adds an identity whose id was just generated at random, so no earlier owner can exist: no
     * lookup first (the unique constraint still guards), and the user is remembered as new with
     * this single identity for the rest of the request.
     */
    public IdentityEntity addToNewUser(RealmModel realm, UserModel user, String providerType, String providerId,
            Long lastUsedAt) throws IdentityInUseException {
        IdentityEntity entity = insert(realm, user, providerType, providerId, lastUsedAt);
        NewUsers.remember(session, user, providerType);
        return entity;
    }

    private IdentityEntity insert(RealmModel realm, UserModel user, String providerType, String providerId,
            Long lastUsedAt) throws IdentityInUseException {
        NewUsers.forget(session, user.getId());
        IdentityEntity entity = new IdentityEntity();
        entity.setId(KeycloakModelUtils.generateId());
        entity.setRealmId(realm.getId());
        entity.setUserId(user.getId());
        entity.setProviderType(providerType);
        entity.setProviderId(providerId);
        long now = System.currentTimeMillis();
        entity.setCreatedAt(now);
        // A guest identity always has a last use, creation at the latest: the purge's index reads only it.
        entity.setLastUsedAt(lastUsedAt == null && ProviderTypes.ANONYMOUS.equals(providerType) ? Long.valueOf(now)
                : lastUsedAt);
        try {
            em.persist(entity);
            em.flush();
        } catch (ModelDuplicateException e) {
            // Keycloak's EntityManager wrapper turns unique violations into this.
            throw new IdentityInUseException();
        } catch (PersistenceException e) {
            if (isUniqueViolation(e)) {
                throw new IdentityInUseException();
            }
            throw e;
        }
        return entity;
    }

    /** Removes one of the user's stored identities; false when the user has no such identity. */
    public boolean remove(RealmModel realm, UserModel user, String providerType, String providerId) {
        Optional<IdentityEntity> found = find(realm, providerType, providerId)
                .filter(entity -> entity.getUserId().equals(user.getId()));
        found.ifPresent(em::remove);
        NewUsers.forget(session, user.getId());
        return found.isPresent();
    }

    /** The provider types of the user's stored identities, one cheap indexed query. */
    public List<String> storedTypes(UserModel user) {
        String onlyType = NewUsers.onlyIdentityType(session, user);
        if (onlyType != null) {
            return List.of(onlyType);
        }
        return em.createNamedQuery("appUsersIdentityTypesOfUser", String.class)
                .setParameter("userId", user.getId())
                .getResultList();
    }

    /** Logins are recorded at most this often per identity, so a busy identity does not write on every login. */
    static final long TOUCH_RESOLUTION_MILLIS = 60_000;

    /** Records a login through this identity (last_used_at), which also feeds the anonymous purge. */
    public void touch(IdentityEntity identity) {
        long now = System.currentTimeMillis();
        Long last = identity.getLastUsedAt();
        if (last != null && last >= now - TOUCH_RESOLUTION_MILLIS) {
            return;
        }
        em.createNamedQuery("appUsersTouchIdentity")
                .setParameter("now", now)
                .setParameter("id", identity.getId())
                .setParameter("threshold", now - TOUCH_RESOLUTION_MILLIS)
                .executeUpdate();
    }

    /**
     * Ids of anonymous users (only an anon-user identity) whose last login is before {@code cutoffMillis},
     * oldest first, at most {@code limit}.
     */
    public List<String> staleAnonymousUserIds(RealmModel realm, long cutoffMillis, int limit) {
        return em.createNamedQuery("appUsersStaleAnonymousUsers", String.class)
                .setParameter("realmId", realm.getId())
                .setParameter("cutoff", cutoffMillis)
                .setMaxResults(limit)
                .getResultList();
    }

    /**
     * Marks an anonymous user active now, writing only when the stored time is older than
     * {@code resolutionMillis}, so frequent token refreshes cost one no-op update at most.
     */
    public void touchAnonymous(UserModel user, long resolutionMillis) {
        long now = System.currentTimeMillis();
        em.createNamedQuery("appUsersTouchAnonymousOfUser")
                .setParameter("now", now)
                .setParameter("userId", user.getId())
                .setParameter("threshold", now - resolutionMillis)
                .executeUpdate();
    }

    /** Records a login through the user's identity of this type, at most once per {@code resolutionMillis}. */
    public void touchType(UserModel user, String providerType, long resolutionMillis) {
        long now = System.currentTimeMillis();
        em.createNamedQuery("appUsersTouchTypeOfUser")
                .setParameter("now", now)
                .setParameter("userId", user.getId())
                .setParameter("providerType", providerType)
                .setParameter("threshold", now - resolutionMillis)
                .executeUpdate();
    }

    /** A page of the realm's identities of one type, oldest first. */
    public List<IdentityEntity> ofType(RealmModel realm, String providerType, int first, int max) {
        return em.createNamedQuery("appUsersIdentitiesOfType", IdentityEntity.class)
                .setParameter("realmId", realm.getId())
                .setParameter("providerType", providerType)
                .setFirstResult(first)
                .setMaxResults(max)
                .getResultList();
    }

    /** The last login through any stored identity, epoch millis, or null. */
    public Long lastLoginAt(UserModel user) {
        return em.createNamedQuery("appUsersLastLoginOfUser", Long.class)
                .setParameter("userId", user.getId())
                .getSingleResult();
    }

    /** SQLState class 23 is "integrity constraint violation" in every database Keycloak supports. */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    /** The identity already belongs to a user of the realm. */
    public static final class IdentityInUseException extends Exception {
        public IdentityInUseException() {
            super("identity in use", null, false, false);
        }
    }
}
