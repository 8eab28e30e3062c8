package io.github.appusers.emailpassword;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.ErrorCodes;
import io.github.appusers.common.NulChars;
import io.github.appusers.identity.IdentityStore;
import io.github.appusers.identity.ProviderTypes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Who holds an email address, and taking one. A pending registration or email/password link only
 * claims its address (the confirmation token records it) and holds none of Keycloak's unique
 * fields, so a claim never blocks the address's real owner. The address is taken when a claim is
 * confirmed; the first to confirm wins, and the database's unique constraints decide a race.
 */
final class EmailClaims {

    /** Resends, reset emails and the password grant look at this many claims of one address at most. */
    static final int MAX_PER_ADDRESS = 3;
    private static final String GENERATED_USERNAME_PREFIX = "pending-";
    private static final int GENERATED_ID_LENGTH = 36;
    private static final Logger LOG = Logger.getLogger(EmailClaims.class);

    private final KeycloakSession session;
    private final RealmModel realm;

    EmailClaims(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** The username of a registration until it takes its address. */
    static String generatedUsername() {
        return GENERATED_USERNAME_PREFIX + KeycloakModelUtils.generateId();
    }

    static boolean hasGeneratedUsername(UserModel user) {
        String username = user.getUsername();
        return username != null && username.startsWith(GENERATED_USERNAME_PREFIX)
                && username.length() == GENERATED_USERNAME_PREFIX.length() + GENERATED_ID_LENGTH;
    }

    /**
     * The user other than {@code except} that owns the address: one that holds its
     * {@code local-userpass} identity, its email or its username and is not pending. Pending
     * holders (users of Keycloak's registration page, or of earlier versions, waiting for
     * confirmation) own nothing: confirming another claim takes the address from them.
     */
    Optional<UserModel> confirmedOwner(String email, UserModel except) {
        return holders(email).filter(user -> !same(user, except)).filter(user -> !PendingConfirmation.isPending(user))
                .findFirst();
    }

    /**
     * Gives the address to {@code user}: strips it from pending holders, sets the user's email (and
     * its username while that is a generated one), adds its {@code local-userpass} identity unless
     * it has one, ends its pending state and drops its claim. {@code verified}: someone proved
     * control of the mailbox (an emailed link was used); otherwise a new address stays unverified.
     *
     * @throws AppUsersError {@code 409 identity_in_use} when another user owns the address
     */
    void take(UserModel user, String email, boolean verified) {
        // One read decides both: an owner that confirmed since an earlier check (another node, a
        // racing request) is refused here, never stripped as if it were pending.
        List<UserModel> others = holders(email).filter(holder -> !same(holder, user)).toList();
        if (others.stream().anyMatch(holder -> !PendingConfirmation.isPending(holder))) {
            throw taken();
        }
        IdentityStore identities = new IdentityStore(session);
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        try {
            for (UserModel holder : others) {
                if (email.equals(holder.getEmail())) {
                    holder.setEmail(null);
                    holder.setEmailVerified(false);
                }
                if (email.equalsIgnoreCase(holder.getUsername())) {
                    holder.setUsername(generatedUsername());
                }
                identities.remove(realm, holder, ProviderTypes.LOCAL_USERPASS, email);
            }
            em.flush();
            if (!identities.storedTypes(user).contains(ProviderTypes.LOCAL_USERPASS)) {
                identities.add(realm, user, ProviderTypes.LOCAL_USERPASS, email);
            }
            if (!email.equals(user.getEmail())) {
                user.setEmail(email);
                user.setEmailVerified(verified);
            } else if (verified) {
                user.setEmailVerified(true);
            }
            if (hasGeneratedUsername(user)) {
                user.setUsername(email);
            }
            em.flush();
        } catch (IdentityStore.IdentityInUseException | ModelDuplicateException e) {
            throw taken();
        } catch (PersistenceException e) {
            if (IdentityStore.isUniqueViolation(e)) {
                throw taken();
            }
            throw e;
        }
        PendingConfirmation.clear(user);
        new EmailTokens(session).remove(user.getId(), EmailTokens.CONFIRM);
    }

    /**
     * The users waiting for the address: its claims, newest first, then pending holders without
     * one, at most {@link #MAX_PER_ADDRESS}.
     */
    List<UserModel> claimants(String email) {
        Map<String, UserModel> users = new LinkedHashMap<>();
        for (EmailTokenEntity claim : new EmailTokens(session).claimsOf(realm, email, MAX_PER_ADDRESS)) {
            UserModel user = session.users().getUserById(realm, claim.getUserId());
            if (user != null) {
                users.put(user.getId(), user);
            }
        }
        holders(email).filter(PendingConfirmation::isPending).forEach(user -> users.putIfAbsent(user.getId(), user));
        return new ArrayList<>(users.values()).subList(0, Math.min(users.size(), MAX_PER_ADDRESS));
    }

    /**
     * True when nobody owns the address and users other than {@code user} wait for it too (claims
     * or pending holders). The mailbox then gets links of several registrations, one of which may
     * be a stranger's: only the claim's own password may decide which one takes the address.
     */
    boolean contested(String email, UserModel user) {
        return confirmedOwner(email, user).isEmpty()
                && claimants(email).stream().anyMatch(other -> !same(other, user));
    }

    /** Users whose claim of the address is pending (not holders of it), newest first, at most {@code max}. */
    List<UserModel> claimUsers(String email, int max) {
        return new EmailTokens(session).claimsOf(realm, email, max).stream()
                .map(claim -> session.users().getUserById(realm, claim.getUserId()))
                .filter(Objects::nonNull).toList();
    }

    /**
     * After a confirm lost to another owner: drops the user's claim of the address and deletes the
     * user when it was only a registration (pending, without identities). Keycloak rolls back the
     * request's transaction for the error answer, so this runs in its own transaction afterwards.
     */
    void dropAfterLoss(UserModel user, String email) {
        session.getTransactionManager().setRollbackOnly();
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        String realmId = realm.getId();
        String userId = user.getId();
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                drop(factory, realmId, userId, email);
            }

            @Override
            protected void rollbackImpl() {
                drop(factory, realmId, userId, email);
            }
        });
    }

    private static void drop(KeycloakSessionFactory factory, String realmId, String userId, String email) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, s -> {
                RealmModel realm = s.realms().getRealm(realmId);
                if (realm == null) {
                    return;
                }
                s.getContext().setRealm(realm);
                UserModel user = s.users().getUserById(realm, userId);
                if (user == null) {
                    return;
                }
                EmailTokens tokens = new EmailTokens(s);
                Optional<String> claim = tokens.claimedEmail(userId);
                if (claim.isPresent() && !claim.get().equals(email)) {
                    return; // it claims another address by now
                }
                tokens.remove(userId, EmailTokens.CONFIRM);
                if (PendingConfirmation.isPending(user) && new IdentityStore(s).list(realm, user).isEmpty()) {
                    new UserManager(s).removeUser(realm, user);
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("Realm %s: the lost claim of user %s could not be dropped (%s)", realmId, userId, e.getMessage());
        }
    }

    /** Users holding the address: by its local-userpass identity, its email or its username. */
    private Stream<UserModel> holders(String email) {
        if (email == null || NulChars.in(email)) {
            return Stream.empty();
        }
        UserModel byIdentity = new IdentityStore(session).find(realm, ProviderTypes.LOCAL_USERPASS, email)
                .map(identity -> session.users().getUserById(realm, identity.getUserId())).orElse(null);
        Map<String, UserModel> users = new LinkedHashMap<>();
        Stream.of(byIdentity, session.users().getUserByEmail(realm, email), session.users().getUserByUsername(realm, email))
                .filter(Objects::nonNull).forEach(user -> users.putIfAbsent(user.getId(), user));
        return users.values().stream();
    }

    private static boolean same(UserModel user, UserModel other) {
        return other != null && user.getId().equals(other.getId());
    }

    static AppUsersError taken() {
        return AppUsersError.conflict(ErrorCodes.IDENTITY_IN_USE, "This email address was confirmed by another account first");
    }
}
