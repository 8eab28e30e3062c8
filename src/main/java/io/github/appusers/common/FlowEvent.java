package io.github.appusers.common;

import java.util.function.Supplier;

import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The Keycloak user event of one of our REST calls: {@code success} when the work returns, and
 * the code of our {@link AppUsersError} as the event error when it throws. Keycloak stores error
 * events in their own transaction, so they survive the rollback of the refused call.
 */
public final class FlowEvent {

    private final EventBuilder event;

    private FlowEvent(EventBuilder event) {
        this.event = event;
    }

    public static FlowEvent start(KeycloakSession session, RealmModel realm, EventType type, String flow) {
        return new FlowEvent(new EventBuilder(realm, session, session.getContext().getConnection()).event(type)
                .detail(AppUsersEvents.FLOW, flow));
    }

    public FlowEvent user(UserModel user) {
        event.user(user);
        return this;
    }

    public FlowEvent client(ClientModel client) {
        if (client != null) {
            event.client(client);
        }
        return this;
    }

    public FlowEvent detail(String key, String value) {
        event.detail(key, value);
        return this;
    }

    /** Runs {@code work} and records its outcome. */
    public <T> T record(Supplier<T> work) {
        try {
            T result = work.get();
            event.success();
            return result;
        } catch (AppUsersError e) {
            event.detail(Details.REASON, e.getMessage());
            event.error(e.error());
            throw e;
        }
    }

    /** A detail value that came from the request: bounded and without control characters. */
    public static String requestValue(String value) {
        if (value == null) {
            return null;
        }
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 64 ? clean : clean.substring(0, 64) + "...";
    }
}
