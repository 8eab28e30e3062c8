package io.github.appusers.linking;

import io.github.appusers.common.BearerUser;
import io.github.appusers.signin.RecentLogin;
import io.github.appusers.settings.SettingsStore;
import io.github.appusers.common.FlowEvent;
import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** The sensitive self-service calls of {@code /me}, each behind the recent-login check. */
public final class SelfService {

    private SelfService() {
    }

    public static void deleteAccount(KeycloakSession session, RealmModel realm, BearerUser caller) {
        FlowEvent.start(session, realm, EventType.DELETE_ACCOUNT, "delete-me").user(caller.user())
                .client(caller.authResult().client()).detail(Details.USERNAME, caller.user().getUsername())
                .record(() -> {
                    // Before the recent-login rule: a refusal that no new login changes is told at once.
                    caller.requirePerson("delete itself");
                    AccountDeletion.requireAllowed(realm, caller.user());
                    RecentLogin.require(caller, SettingsStore.read(realm).recentLoginSeconds);
                    AccountDeletion.delete(session, realm, caller);
                    return null;
                });
    }
}
