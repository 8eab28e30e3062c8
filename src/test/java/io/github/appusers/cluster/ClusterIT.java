package io.github.appusers.cluster;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.Database;
import io.github.appusers.testsupport.Eventually;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.FunctionServer.Answer;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.KeycloakCluster;
import io.github.appusers.testsupport.KeycloakServer;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Keycloak nodes clustered by Keycloak itself (Infinispan, members found through the shared
 * PostgreSQL database), called over HTTP alternately: what one node did, the other sees, and the
 * rules that must hold cluster-wide (rate limits, one user per identity, one purge at a time) do.
 */
class ClusterIT {

    private static final String SECRET = "cluster-function-secret";
    private static final String ANONYMOUS = "urn:app-users:grant-type:anonymous";
    private static final String CUSTOM_FUNCTION = "urn:app-users:grant-type:custom-function";
    private static final long DAY = 24L * 3600 * 1000;

    private static KeycloakCluster cluster;
    private static FunctionServer functions;
    private static TestRealm realm;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = KeycloakCluster.shared();
        functions = new FunctionServer(SECRET).on("/login", body -> Answer.json(map("id", body.at("/payload/user").asText())));
        realm = TestRealm.create(cluster.api(0), cluster.admin(0), "cluster", map(
                "anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                "email_password", map("enabled", true, "confirmation", "auto"),
                "custom_function", map("enabled", true, "max_logins_per_ip_per_minute", 0)));
        realm.relaxUserProfile();
        expect(realm.admin().put(realm.adminPath("/app-users/functions/login"), map("kind", "login",
                "url", functions.url("/login"), "secret", SECRET)), 200);
    }

    @AfterAll
    static void tearDown() {
        if (functions != null) {
            functions.close();
        }
    }

    /** The client of node {@code i % 2}: requests alternate between the nodes. */
    private static Api node(int i) {
        return cluster.api(i % cluster.size());
    }

    private static ApiResponse anonymousLogin(Api node, TestRealm realm) {
        return node.postForm(realm.tokenEndpoint(), null, Api.form("grant_type", ANONYMOUS,
                "client_id", TestRealm.APP_CLIENT, "scope", "openid"));
    }

    private static String subject(JsonNode tokens) {
        return Jwt.claims(tokens.get("access_token").asText()).get("sub").asText();
    }

    private static String bearer(JsonNode tokens) {
        return tokens.get("access_token").asText();
    }

    private static long userCount(TestRealm realm) {
        return expect(cluster.admin(1).get(realm.adminPath("/users/count")), 200).json().asLong();
    }

    /** Runs the calls at once (released together), one thread each; returns their answers in order. */
    private static <T> List<T> race(List<Callable<T>> calls) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void bothNodesAreMembersOfOneCluster() {
        for (int i = 0; i < cluster.size(); i++) {
            assertTrue(cluster.node(i).logSinceStart().contains("(" + cluster.size() + ") ["),
                    "node " + i + " logged a view of " + cluster.size() + " members");
        }
    }

    @Test
    void aUserCreatedOnOneNodeRefreshesLinksAndReadsItselfOnTheOther() {
        Api a = cluster.api(0);
        Api b = cluster.api(1);
        JsonNode signedUp = expect(anonymousLogin(a, realm), 200).json();
        String id = subject(signedUp);

        JsonNode refreshedOnB = expect(b.postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "refresh_token",
                "client_id", TestRealm.APP_CLIENT, "refresh_token", signedUp.get("refresh_token").asText())), 200).json();
        assertEquals(id, subject(refreshedOnB));

        // Linking needs a recent sign-in: the one on node A, seconds ago, counts on node B.
        String email = "cluster-link-" + System.nanoTime() + "@example.test";
        expect(b.postJson(realm.path("/app-users/me/identities"), bearer(refreshedOnB),
                map("type", "email-password", "email", email, "password", "cluster-password")), 201);

        JsonNode meOnA = expect(a.get(realm.path("/app-users/me"), bearer(refreshedOnB)), 200).json();
        assertEquals(id, meOnA.get("id").asText());
        assertFalse(meOnA.get("is_anonymous").asBoolean(true));
        Set<String> types = new HashSet<>();
        meOnA.get("identities").forEach(identity -> types.add(identity.get("provider_type").asText()));
        assertEquals(Set.of("anon-user", "local-userpass"), types);

        JsonNode byPasswordOnA = expect(a.postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "password",
                "client_id", TestRealm.APP_CLIENT, "username", email, "password", "cluster-password")), 200).json();
        assertEquals(id, subject(byPasswordOnA));
    }

    @Test
    void theAnonymousRateLimitCountsSignUpsOnEveryNode() {
        TestRealm limited = TestRealm.create(cluster.api(0), cluster.admin(0), "cluster-rate",
                map("anonymous", map("enabled", true, "max_per_ip_per_hour", 5)));
        for (int i = 0; i < 5; i++) {
            expect(anonymousLogin(node(i), limited), 200);
        }
        for (int i = 5; i < 7; i++) {
            ApiResponse refused = anonymousLogin(node(i), limited);
            assertEquals(429, refused.status(), "sign-up " + (i + 1) + " on node " + (i % 2) + ": " + refused);
            assertEquals("rate_limited", refused.error());
        }
        assertEquals(5, userCount(limited));
    }

    @Test
    void racingSignUpsOnBothNodesGetExactlyTheLimit() throws Exception {
        TestRealm limited = TestRealm.create(cluster.api(0), cluster.admin(0), "cluster-rate-race",
                map("anonymous", map("enabled", true, "max_per_ip_per_hour", 5)));
        List<Callable<ApiResponse>> signUps = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Api node = node(i);
            signUps.add(() -> anonymousLogin(node, limited));
        }
        int allowed = 0;
        for (ApiResponse response : race(signUps)) {
            if (response.status() == 200) {
                allowed++;
            } else {
                assertEquals(429, response.status(), response.toString());
                assertEquals("rate_limited", response.error());
            }
        }
        assertEquals(5, allowed);
        assertEquals(5, userCount(limited));
    }

    @Test
    void racingFirstLoginsWithOneIdOnBothNodesEndWithOneUser() throws Exception {
        long usersBefore = userCount(realm);
        String externalId = "cluster-racer-" + System.nanoTime();
        List<Callable<ApiResponse>> logins = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Api node = node(i);
            logins.add(() -> node.postForm(realm.tokenEndpoint(), null, Api.form("grant_type", CUSTOM_FUNCTION,
                    "client_id", TestRealm.APP_CLIENT, "function", "login",
                    "payload", Api.toJson(map("user", externalId)))));
        }
        Set<String> subjects = new HashSet<>();
        for (ApiResponse response : race(logins)) {
            assertEquals(200, response.status(), response.toString());
            subjects.add(subject(response.json()));
        }
        assertEquals(1, subjects.size(), "every racer logged in as the same user");
        assertEquals(usersBefore + 1, userCount(realm));
        assertEquals(1, Database.count(cluster.node(0), "SELECT COUNT(*) FROM APP_USERS_IDENTITY"
                + " WHERE PROVIDER_TYPE = 'custom-function' AND PROVIDER_ID = ?", externalId));
    }

    @Test
    void racingLinksOfOneEmailOnBothNodesHaveOneWinner() throws Exception {
        String email = "cluster-race-" + System.nanoTime() + "@example.test";
        List<Callable<ApiResponse>> links = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Api node = node(i);
            // Each guest signs up on the other node than the one it links on.
            JsonNode guest = expect(anonymousLogin(node(i + 1), realm), 200).json();
            links.add(() -> node.postJson(realm.path("/app-users/me/identities"), bearer(guest),
                    map("type", "email-password", "email", email, "password", "race-password")));
        }
        int won = 0;
        for (ApiResponse response : race(links)) {
            if (response.status() == 201) {
                won++;
            } else {
                assertEquals(409, response.status(), response.toString());
                assertEquals("identity_in_use", response.error());
            }
        }
        assertEquals(1, won);
        assertEquals(1, Database.count(cluster.node(0), "SELECT COUNT(*) FROM APP_USERS_IDENTITY"
                + " WHERE PROVIDER_TYPE = 'local-userpass' AND PROVIDER_ID = ?", email));
    }

    /** Signs up {@code count} guests, alternating nodes, and makes them look two days idle. */
    private static List<String> staleGuests(TestRealm realm, int count) {
        List<String> ids = new ArrayList<>();
        long then = System.currentTimeMillis() - 2 * DAY;
        for (int i = 0; i < count; i++) {
            String id = subject(expect(anonymousLogin(node(i), realm), 200).json());
            assertEquals(1, Database.update(cluster.node(0), "UPDATE APP_USERS_IDENTITY SET CREATED_AT = ?,"
                    + " LAST_USED_AT = ? WHERE USER_ID = ?", then, then, id));
            ids.add(id);
        }
        return ids;
    }

    @Test
    void purgesStartedOnBothNodesAtOnceDeleteEveryStaleUserOnce() throws Exception {
        TestRealm purged = TestRealm.create(cluster.api(0), cluster.admin(0), "cluster-purge",
                map("anonymous", map("enabled", true, "max_per_ip_per_hour", 0)));
        int stale = 40;
        staleGuests(purged, stale);
        String active = subject(expect(anonymousLogin(cluster.api(1), purged), 200).json());

        List<Callable<ApiResponse>> purges = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            int node = i;
            purges.add(() -> cluster.admin(node).post(purged.adminPath("/app-users/anonymous/purge?inactive_days=1"),
                    null));
        }
        int deleted = 0;
        for (ApiResponse response : race(purges)) {
            assertEquals(200, response.status(), response.toString());
            deleted += response.json().get("deleted").asInt();
        }
        assertEquals(stale, deleted, "each stale user deleted once, by one of the nodes");
        assertEquals(1, userCount(purged));
        assertEquals(200, cluster.admin(0).get(purged.adminPath("/users/" + active)).status());
    }

    @Test
    void theScheduledPurgeOfBothNodesDeletesEveryStaleUserOnce() throws Exception {
        TestRealm purged = TestRealm.create(cluster.api(0), cluster.admin(0), "cluster-schedule",
                map("anonymous", map("enabled", true, "max_per_ip_per_hour", 0, "purge_inactive_days", 1)));
        String realmId = expect(cluster.admin(0).get(purged.adminPath("")), 200).json().get("id").asText();
        int stale = 30;
        staleGuests(purged, stale);

        // Both nodes run the schedule every 10 s, its shortest interval (see KeycloakCluster): the
        // test waits until a run has purged, however long a run takes on a loaded machine.
        Eventually.await("the scheduled purge deleted the realm's " + stale + " stale guests", Duration.ofMinutes(3),
                () -> userCount(purged) == 0);

        // A run logs its count after its last batch commits, so the line may trail the deletions a little.
        Eventually.await("the purge runs logged " + stale + " deletions", Duration.ofMinutes(1),
                () -> loggedPurges(realmId) >= stale);
        for (int i = 0; i < cluster.size(); i++) {
            cluster.node(i).logSinceStart().lines().filter(line -> line.contains("ERROR")).forEach(line ->
                    assertFalse(line.toLowerCase().contains("purge"), "a purge failed: " + line));
        }
        assertEquals(stale, loggedPurges(realmId), "the nodes' purge runs together deleted each user once");
    }

    /** The users both nodes' logs say their purge runs deleted in the realm. */
    private static int loggedPurges(String realmId) {
        Pattern purgedLine = Pattern.compile("Purged (\\d+) inactive anonymous users of realm id "
                + Pattern.quote(realmId));
        int logged = 0;
        for (int i = 0; i < cluster.size(); i++) {
            Matcher matcher = purgedLine.matcher(cluster.node(i).logSinceStart());
            while (matcher.find()) {
                logged += Integer.parseInt(matcher.group(1));
            }
        }
        return logged;
    }
}
