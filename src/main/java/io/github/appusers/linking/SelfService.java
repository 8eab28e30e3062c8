package io.github.appusers.linking;

import io.github.appusers.common.BearerUser;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** The sensitive self-service calls of {@code /me}, each behind the recent-login check. */
public final class SelfService {

    private SelfService() {
    }

    public static void deleteAccount(KeycloakSession session, RealmModel realm, BearerUser caller) {
        RecentLogin.require(caller, realm);
        AccountDeletion.delete(session, realm, caller);
    }
}
