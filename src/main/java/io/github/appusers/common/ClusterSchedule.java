package io.github.appusers.common;

import org.keycloak.cluster.ClusterProvider;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.KeycloakSessionTask;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.TimerProvider;

/**
 * Schedules a periodic task on every node and lets Keycloak's ClusterProvider pick one node per
 * interval to run it (a marker in the cluster-wide work cache), so a cluster purges once, not
 * once per node.
 */
public final class ClusterSchedule {

    private ClusterSchedule() {
    }

    public static void schedule(KeycloakSessionFactory factory, String taskName, long intervalMillis,
            KeycloakSessionTask task) {
        int lockSeconds = (int) Math.max(1, intervalMillis / 1000 - 1);
        Runnable runOnOneNode = () -> KeycloakModelUtils.runJobInTransaction(factory, session ->
                session.getProvider(ClusterProvider.class).executeIfNotExecuted(taskName, lockSeconds, () -> {
                    task.run(session);
                    return null;
                }));
        KeycloakModelUtils.runJobInTransaction(factory, session ->
                session.getProvider(TimerProvider.class).schedule(runOnOneNode, intervalMillis, taskName));
    }
}
