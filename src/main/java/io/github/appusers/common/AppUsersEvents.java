package io.github.appusers.common;

/** Event detail keys our flows add to Keycloak events, so audits can tell our flows apart. */
public final class AppUsersEvents {

    /** Which app-users flow produced the event: anonymous, custom-function, api-key... */
    public static final String FLOW = "app_users_flow";
    /** The identity provider type the flow used (docs/linking.md). */
    public static final String PROVIDER_TYPE = "provider_type";

    private AppUsersEvents() {
    }

    /** True for events our own flows emitted (they carry {@link #FLOW}). */
    public static boolean isOurs(org.keycloak.events.Event event) {
        return event.getDetails() != null && event.getDetails().containsKey(FLOW);
    }
}
