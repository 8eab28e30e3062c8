package io.github.appusers.identity;

import java.util.List;

import io.github.appusers.common.NewUsers;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** Who counts as anonymous: a user whose only way in is its {@code anon-user} identity. */
public final class AnonymousUsers {

    private AnonymousUsers() {
    }

    /**
     * Derived, not stored, so that linking any permanent identity (ours or a brokered one)
     * upgrades the user without a second write that could go out of step.
     */
    public static boolean isAnonymous(KeycloakSession session, RealmModel realm, UserModel user) {
        if (ProviderTypes.ANONYMOUS.equals(NewUsers.onlyIdentityType(session, user))) {
            return true; // created in this request as a guest: nothing else can be linked yet
        }
        if (user.getServiceAccountClientLink() != null) {
            return false; // a client's service account is never a guest
        }
        List<String> types = new IdentityStore(session).storedTypes(user);
        if (!types.contains(ProviderTypes.ANONYMOUS)) {
            return false;
        }
        boolean onlyAnonymous = types.stream().allMatch(ProviderTypes.ANONYMOUS::equals);
        return onlyAnonymous && session.users().getFederatedIdentitiesStream(realm, user).findAny().isEmpty();
    }
}
