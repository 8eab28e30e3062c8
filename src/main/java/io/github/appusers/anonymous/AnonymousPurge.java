package io.github.appusers.anonymous;

import java.util.List;
import io.github.appusers.identity.AnonymousUsers;

import io.github.appusers.common.AppUsersEvents;
import io.github.appusers.common.AppUsersMetrics;
import io.github.appusers.identity.IdentityStore;
import io.github.appusers.identity.ProviderTypes;
import org.jboss.logging.Logger;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.cluster.ExecutionResult;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Deletes anonymous users with no login since a cutoff, in small batches, each batch in its own
 * transaction, so that a big purge never holds long locks and logins keep flowing beside it.
 * Users are removed through Keycloak's UserManager: sessions, consents and our rows go with them.
 *
 * <p>Each batch holds a cluster-wide lock of its realm (Keycloak's ClusterProvider) until it has
 * committed: purges started at once on several nodes (the schedule, admin calls) take turns batch
 * by batch, each finding only what is still there, instead of deleting the same users twice.
 */
public final class AnonymousPurge {

    static final String FLOW = "anonymous-purge";
    private static final Logger LOG = Logger.getLogger(AnonymousPurge.class);
    /** Longest a batch may hold the lock: if its node dies, the others go on after this. */
    private static final int BATCH_LOCK_SECONDS = 60;
    private static final long LOCK_POLL_MILLIS = 100;

    private final KeycloakSessionFactory factory;
    private final int batchSize;

    public AnonymousPurge(KeycloakSessionFactory factory, int batchSize) {
        this.factory = factory;
        this.batchSize = batchSize;
    }

    /** What one purge did: how many users it deleted, and whether it stopped before the realm ran out of them. */
    public record Result(int deleted, boolean more) {
    }

    /**
     * Deletes at most {@code maxUsers} anonymous users of the realm idle since {@code cutoffMillis},
     * starting no batch after {@code deadlineNanos} ({@link System#nanoTime()}): the caller's own
     * transaction stays open meanwhile and must end well before the transaction timeout.
     */
    public Result purge(String realmId, long cutoffMillis, int maxUsers, long deadlineNanos) {
        int deleted = 0;
        boolean more = false;
        while (deleted < maxUsers) {
            if (System.nanoTime() - deadlineNanos > 0) {
                more = true;
                break;
            }
            int limit = Math.min(batchSize, maxUsers - deleted);
            Batch batch = deleteBatchAlone(realmId, cutoffMillis, limit);
            if (batch == null) {
                LOG.warnf("The purge of realm id %s stopped: another node held its lock for over %d seconds",
                        realmId, BATCH_LOCK_SECONDS);
                more = true;
                break;
            }
            deleted += batch.deleted();
            // Counted once the batch's transaction has committed.
            AppUsersMetrics.purged(batch.realm(), batch.deleted());
            // Stop when nothing is left, or when what is left cannot be purged (e.g. brokered links).
            if (batch.found() < limit || batch.deleted() == 0) {
                break;
            }
            more = deleted >= maxUsers;
        }
        if (deleted > 0) {
            LOG.infof("Purged %d inactive anonymous users of realm id %s%s", deleted, realmId,
                    more ? "; more are left for the next run" : "");
        }
        return new Result(deleted, more);
    }

    /** One batch under the realm's purge lock, waiting while another node holds it; null if it never came free. */
    private Batch deleteBatchAlone(String realmId, long cutoffMillis, int limit) {
        String lock = "app-users-anonymous-purge::" + realmId;
        long giveUpAt = System.currentTimeMillis() + (BATCH_LOCK_SECONDS + 10) * 1000L;
        while (true) {
            // The batch commits in its own transaction inside the lock, so the next holder sees its deletions.
            ExecutionResult<Batch> result = KeycloakModelUtils.runJobInTransactionWithResult(factory, session ->
                    session.getProvider(ClusterProvider.class).executeIfNotExecuted(lock, BATCH_LOCK_SECONDS, () ->
                            KeycloakModelUtils.runJobInTransactionWithResult(factory,
                                    batchSession -> deleteBatch(batchSession, realmId, cutoffMillis, limit))));
            if (result.isExecuted()) {
                return result.getResult();
            }
            if (System.currentTimeMillis() > giveUpAt) {
                return null;
            }
            try {
                Thread.sleep(LOCK_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private record Batch(String realm, int found, int deleted) {
    }

    private static Batch deleteBatch(KeycloakSession session, String realmId, long cutoffMillis, int limit) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return new Batch(null, 0, 0);
        }
        session.getContext().setRealm(realm);
        List<String> ids = new IdentityStore(session).staleAnonymousUserIds(realm, cutoffMillis, limit);
        UserManager users = new UserManager(session);
        int deleted = 0;
        for (String id : ids) {
            UserModel user = session.users().getUserById(realm, id);
            if (user != null && AnonymousUsers.isAnonymous(session, realm, user) && users.removeUser(realm, user)) {
                deleted++;
                // No client connection here: the purge runs on a timer or for an admin.
                new EventBuilder(realm, session).event(EventType.DELETE_ACCOUNT).user(id)
                        .detail(AppUsersEvents.FLOW, FLOW).detail(AppUsersEvents.PROVIDER_TYPE, ProviderTypes.ANONYMOUS)
                        .success();
            }
        }
        return new Batch(realm.getName(), ids.size(), deleted);
    }
}
