package io.github.appusers.resilience;

import static io.github.appusers.testsupport.AdminApi.expect;
import static io.github.appusers.testsupport.AdminApi.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ApiResponse;
import io.github.appusers.testsupport.Database;
import io.github.appusers.testsupport.Eventually;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.TestRealm;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted under a sign-in load (PostgreSQL pass only: the H2 pass excludes
 * {@code *PostgresIT}). While the database is gone, requests fail with an error in the OAuth
 * shape; afterwards sign-ins work again; and nothing is half-written: no user without its
 * identity, no identity without its user.
 */
class DatabaseRestartPostgresIT extends IntegrationTest {

    private static final String GRANT = "urn:app-users:grant-type:anonymous";

    @Test
    void signInsFailCleanlyWhileTheDatabaseRestartsAndRecoverWithNothingHalfWritten() throws Exception {
        assertEquals("postgres", server().db(), "this test is for the PostgreSQL pass");
        TestRealm realm = TestRealm.create("pg-restart", map("anonymous", map("enabled", true,
                "max_per_ip_per_hour", 0)));
        JsonNode before = expect(signIn(realm), 200).json();

        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        List<String> badBodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicLong okBeforeRestart = new AtomicLong();
        AtomicLong okAfterRestart = new AtomicLong();
        AtomicBoolean restarted = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService load = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(load.submit(() -> {
                while (!stop.get()) {
                    ApiResponse response = signIn(realm);
                    statuses.computeIfAbsent(response.status(), s -> new AtomicLong()).incrementAndGet();
                    if (response.status() == 200) {
                        (restarted.get() ? okAfterRestart : okBeforeRestart).incrementAndGet();
                    } else if (!hasOAuthErrorShape(response)) {
                        badBodies.add(response.status() + " " + response.body());
                    }
                }
                return null;
            }));
        }
        try {
            // The restart comes while sign-ins are under way, and the test ends once they recovered.
            Eventually.await("the load signed in 20 guests", Duration.ofSeconds(60),
                    () -> okBeforeRestart.get() >= 20);
            restartPostgres();
            restarted.set(true);
            Eventually.await("50 sign-ins succeeded after the restart", Duration.ofSeconds(90),
                    () -> okAfterRestart.get() >= 50);
        } finally {
            stop.set(true);
            load.shutdown();
            System.out.println("PostgreSQL restart under load, answers by status: " + statuses);
        }
        for (Future<?> worker : workers) {
            worker.get();
        }

        assertTrue(badBodies.isEmpty(), "every failure is an OAuth-shaped error: " + badBodies);
        // The session from before the restart still refreshes.
        expect(realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", "refresh_token",
                "client_id", TestRealm.APP_CLIENT, "refresh_token", before.get("refresh_token").asText())), 200);
        String realmId = expect(realm.admin().get(realm.adminPath("")), 200).json().get("id").asText();
        assertEquals(0, Database.count("SELECT COUNT(*) FROM USER_ENTITY u WHERE u.REALM_ID = ?"
                + " AND u.SERVICE_ACCOUNT_CLIENT_LINK IS NULL AND NOT EXISTS"
                + " (SELECT 1 FROM APP_USERS_IDENTITY i WHERE i.USER_ID = u.ID)", realmId),
                "no guest without its identity (the realm's only other user is its service client's account)");
        long guests = Database.count("SELECT COUNT(*) FROM APP_USERS_IDENTITY WHERE REALM_ID = ?", realmId);
        assertTrue(guests > 50, "the load created guests: " + guests);
        assertEquals(0, Database.count("SELECT COUNT(*) FROM APP_USERS_IDENTITY i WHERE i.REALM_ID = ? AND NOT EXISTS"
                + " (SELECT 1 FROM USER_ENTITY u WHERE u.ID = i.USER_ID)", realmId), "no identity without user");
    }

    private static ApiResponse signIn(TestRealm realm) {
        return realm.api().postForm(realm.tokenEndpoint(), null, Api.form("grant_type", GRANT,
                "client_id", TestRealm.APP_CLIENT));
    }

    private static boolean hasOAuthErrorShape(ApiResponse response) {
        try {
            JsonNode body = response.json();
            return body.path("error").isTextual();
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    /** {@code -Dit.postgres.restart-command=...} overrides; by default the local cluster via pg_ctlcluster. */
    private static void restartPostgres() throws IOException, InterruptedException {
        String command = System.getProperty("it.postgres.restart-command");
        if (command == null || command.isBlank()) {
            Process list = new ProcessBuilder("pg_lsclusters", "-h").start();
            String[] cluster = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim()
                    .split("\\s+");
            list.waitFor();
            command = "pg_ctlcluster " + cluster[0] + " " + cluster[1] + " restart";
        }
        Process restart = new ProcessBuilder("sh", "-c", command).inheritIO().start();
        assertTrue(restart.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) && restart.exitValue() == 0,
                "restarting PostgreSQL with: " + command);
    }
}
