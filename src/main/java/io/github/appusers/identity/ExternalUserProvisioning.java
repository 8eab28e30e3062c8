package io.github.appusers.identity;

import java.util.Optional;
import java.util.function.BiConsumer;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Find-or-create for identities proven elsewhere (a login function's id, an external JWT's sub):
 * the owner of (type, id), or a new user holding it. The new user and its identity are written in
 * a transaction of their own, so when concurrent first logins race, the database's unique
 * constraint picks one winner and the losers (whose own transaction rolled back, leaving nothing
 * behind) log in as the winner's user instead of failing.
 */
public final class ExternalUserProvisioning {

    private final KeycloakSession session;
    private final RealmModel realm;

    public ExternalUserProvisioning(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** The result: the user and whether this call created it. */
    public record Provisioned(UserModel user, boolean created) {
    }

    public Provisioned findOrCreate(String providerType, String providerId, String usernamePrefix,
            BiConsumer<KeycloakSession, UserModel> profile) {
        Optional<UserModel> existing = owner(providerType, providerId);
        if (existing.isPresent()) {
            return new Provisioned(existing.get(), false);
        }
        String realmId = realm.getId();
        String createdId = KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), s -> {
            RealmModel r = s.realms().getRealm(realmId);
            s.getContext().setRealm(r);
            UserModel user = s.users().addUser(r, usernamePrefix + KeycloakModelUtils.generateId());
            user.setEnabled(true);
            profile.accept(s, user);
            try {
                new IdentityStore(s).add(r, user, providerType, providerId, System.currentTimeMillis());
            } catch (IdentityStore.IdentityInUseException e) {
                s.getTransactionManager().setRollbackOnly();
                return null;
            }
            return user.getId();
        });
        if (createdId != null) {
            return new Provisioned(session.users().getUserById(realm, createdId), true);
        }
        // Another request created it first; its transaction has committed.
        return owner(providerType, providerId).map(user -> new Provisioned(user, false))
                .orElseThrow(() -> new IllegalStateException("identity vanished during a concurrent first login"));
    }

    private Optional<UserModel> owner(String providerType, String providerId) {
        IdentityStore identities = new IdentityStore(session);
        return identities.find(realm, providerType, providerId).map(identity -> {
            UserModel user = session.users().getUserById(realm, identity.getUserId());
            if (user != null) {
                identities.touch(identity);
            }
            return user;
        });
    }
}
