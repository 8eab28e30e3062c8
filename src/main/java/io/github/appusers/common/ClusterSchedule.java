package io.github.appusers.common;

import org.keycloak.cluster.ClusterProvider;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.KeycloakSessionTask;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.TimerProvider;

/**
 * Schedules a periodic task on every node; Keycloak's ClusterProvider lets it run on one node at a
 * time (a marker in the cluster-wide work cache, held while the task runs, at most an interval).
 * A tick that finds the task running elsewhere skips it. Each node's timer ticks on its own, so a
 * cluster may run the task up to once per node and interval, one run after the other.
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
