package io.github.appusers.anonymous;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.appusers.common.ClusterSchedule;
import io.github.appusers.settings.AppUsersSettings;
import io.github.appusers.settings.SettingsStore;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

/**
 * The scheduled purge of inactive anonymous users: every {@code intervalSeconds}, on one node of
 * a cluster at a time, each realm with anonymous users on and a {@code purge_inactive_days}.
 */
final class PurgeSchedule {

    private static final String TASK = "app-users-anonymous-purge";

    private final KeycloakSessionFactory factory;
    private final PurgeOptions options;

    PurgeSchedule(KeycloakSessionFactory factory, PurgeOptions options) {
        this.factory = factory;
        this.options = options;
    }

    void start() {
        ClusterSchedule.schedule(factory, TASK, options.intervalSeconds() * 1000, this::purgeAllRealms);
    }

    private void purgeAllRealms(KeycloakSession session) {
        AnonymousPurge purge = new AnonymousPurge(factory, options.batchSize());
        long deadline = options.deadline(Integer.MAX_VALUE);
        // A shuffled order: when one run's time is up, the realms it did not reach come first some other run.
        List<RealmModel> realms = new ArrayList<>(session.realms().getRealmsStream().toList());
        Collections.shuffle(realms);
        for (RealmModel realm : realms) {
            AppUsersSettings.Anonymous settings = SettingsStore.read(realm).anonymous;
            if (settings.enabled && settings.purgeInactiveDays > 0) {
                long cutoff = System.currentTimeMillis() - settings.purgeInactiveDays * 24L * 3600 * 1000;
                purge.purge(realm.getId(), cutoff, options.maxPerRun(), deadline);
            }
        }
    }
}
