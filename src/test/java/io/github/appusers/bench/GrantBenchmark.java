package io.github.appusers.bench;

import static io.github.appusers.testsupport.AdminApi.map;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.appusers.testsupport.AdminApi;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.KeycloakServer;
import io.github.appusers.testsupport.StaleUsers;
import io.github.appusers.testsupport.TestRealm;

/**
 * Our token flows next to Keycloak's own, on one server in one run, printed as a table with the
 * ratio to client_credentials. Run with bench/run.sh (not part of the test suite: no timing is
 * ever asserted).
 */
public final class GrantBenchmark {

    private GrantBenchmark() {
    }

    /** A named flow; {@code key} selects it with -Dbench.flows=key,key. */
    private record Flow(String key, String name, LoadRunner.Request request) {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.getInteger("bench.threads", 8);
        Duration warmUp = Duration.ofSeconds(Long.getLong("bench.warmup.seconds", 10));
        Duration slice = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
        int rounds = Integer.getInteger("bench.rounds", 3);
        Set<String> selected = new HashSet<>(Arrays.asList(System.getProperty("bench.flows",
                "password,anonymous,custom-function,api-key,custom-data-claim").split(",")));
        LoadRunner runner = new LoadRunner(threads);

        KeycloakServer server = KeycloakServer.shared();
        TestRealm realm = TestRealm.create("bench", map("anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                "custom_function", map("enabled", true, "max_logins_per_ip_per_minute", 0),
                "api_keys", map("enabled", true)));
        realm.createUser("bench-user", "bench-password");
        // An instant login function on loopback, answering the same id: every login after the first finds the user.
        FunctionServer function = new FunctionServer("bench-function-secret-0123456789")
                .on("/login", body -> FunctionServer.Answer.json(map("id", "bench-fn-user")));
        AdminApi.expect(realm.admin().put(realm.adminPath("/app-users/functions/bench-login"), map("kind", "login",
                "url", function.url("/login"), "secret", "bench-function-secret-0123456789")), 200);
        HttpClient http = LoadRunner.httpClient();
        String tokenUrl = server.baseUrl() + realm.tokenEndpoint();
        String apiKey = AdminApi.expect(realm.admin().post(realm.adminPath("/app-users/api-keys"), map("name", "bench")),
                201).json().get("key").asText();
        prepareCustomDataClaim(realm);

        List<Flow> flows = new ArrayList<>();
        flows.add(new Flow("client-credentials", "client_credentials (Keycloak)", worker ->
                post(http, tokenUrl, "grant_type", "client_credentials", "client_id", TestRealm.SERVICE_CLIENT,
                        "client_secret", TestRealm.SERVICE_SECRET)));
        flows.add(new Flow("password", "password (Keycloak)", worker ->
                post(http, tokenUrl, "grant_type", "password", "client_id", TestRealm.APP_CLIENT,
                        "username", "bench-user", "password", "bench-password")));
        flows.add(new Flow("anonymous", "anonymous sign-in (app-users)", worker ->
                post(http, tokenUrl, "grant_type", "urn:app-users:grant-type:anonymous",
                        "client_id", TestRealm.SERVICE_CLIENT, "client_secret", TestRealm.SERVICE_SECRET)));
        flows.add(new Flow("custom-function", "custom-function login (app-users)", worker ->
                post(http, tokenUrl, "grant_type", "urn:app-users:grant-type:custom-function",
                        "client_id", TestRealm.SERVICE_CLIENT, "client_secret", TestRealm.SERVICE_SECRET,
                        "function", "bench-login", "payload", "{\"user\":\"bench\"}")));
        flows.add(new Flow("api-key", "api-key login (app-users)", worker ->
                post(http, tokenUrl, "grant_type", "urn:app-users:grant-type:api-key",
                        "client_id", TestRealm.SERVICE_CLIENT, "client_secret", TestRealm.SERVICE_SECRET,
                        "api_key", apiKey)));
        // The custom_data claim: the same client_credentials grant, with and without our claims.
        flows.add(new Flow("custom-data-claim", "client_credentials, no app-users claims", worker ->
                post(http, tokenUrl, "grant_type", "client_credentials", "client_id", PLAIN_CLIENT,
                        "client_secret", PLAIN_CLIENT + "-secret")));
        flows.add(new Flow("custom-data-claim", "client_credentials + custom_data claim", worker ->
                post(http, tokenUrl, "grant_type", "client_credentials", "client_id", CLAIMS_CLIENT,
                        "client_secret", CLAIMS_CLIENT + "-secret")));
        flows.removeIf(flow -> !flow.key().equals("client-credentials") && !selected.contains(flow.key()));

        // A fresh server is still compiling hot paths: warm every flow up before measuring.
        runner.warmUp(warmUp.multipliedBy(2), flows.get(0).request());
        for (Flow flow : flows) {
            runner.warmUp(warmUp, flow.request());
        }
        // Rounds of short slices, every flow once per round: the server's drift (JIT, garbage, a
        // growing database) spreads over all flows instead of favouring whichever ran last.
        Map<Flow, LoadRunner.Stats> stats = new LinkedHashMap<>();
        flows.forEach(flow -> stats.put(flow, new LoadRunner.Stats(flow.name())));
        for (int round = 1; round <= rounds; round++) {
            // Each round's rates are printed too: drift between rounds shows whether the server was warm.
            StringBuilder rates = new StringBuilder();
            for (Flow flow : flows) {
                LoadRunner.Stats once = new LoadRunner.Stats(flow.name());
                runner.measure(slice, flow.request(), once);
                stats.get(flow).add(once);
                rates.append(String.format(" %s %.0f;", flow.key(), once.perSecond()));
            }
            System.out.printf("round %d of %d (req/s):%s%n", round, rounds, rates);
        }
        function.close();

        List<LoadRunner.Stats> results = new ArrayList<>(stats.values());
        System.out.println();
        System.out.printf("keycloak-app-users benchmark: Keycloak %s, db=%s, %d client threads, %d rounds of %ds "
                + "per flow after %ds warm-up each, %d cores%n", System.getProperty("bench.keycloak.version", "?"),
                server.db(), threads, rounds, slice.toSeconds(),
                warmUp.toSeconds(), Runtime.getRuntime().availableProcessors());
        System.out.print(LoadRunner.table(results, results.get(0)));
        if (selected.contains("custom-data-claim")) {
            LoadRunner.Stats plain = results.get(results.size() - 2);
            LoadRunner.Stats withClaim = results.get(results.size() - 1);
            System.out.printf("custom_data claim ratio (with / without our claims, same grant): %.2f%n",
                    withClaim.perSecond() / plain.perSecond());
        }
        // The purge comes last: it fills the database and would skew the flows above.
        int purgeUsers = Integer.getInteger("bench.purge.users", 0);
        if (purgeUsers > 0) {
            // Sign-ins beside the purge: as many client threads as the table used, unless told fewer.
            LoadRunner purgeLoad = new LoadRunner(Integer.getInteger("bench.purge.threads", threads));
            System.out.print(purgeWhileSigningIn(realm, purgeLoad, flows, purgeUsers, slice));
        }
        IntegrationTest.server().stop();
        System.exit(0);
    }

    /**
     * Seeds {@code count} anonymous users idle for 60 days (straight into the database: creating
     * them through the grant would take minutes), then runs the purge through the admin endpoint
     * while anonymous sign-ins keep going, and reports both rates.
     */
    private static String purgeWhileSigningIn(TestRealm realm, LoadRunner runner, List<Flow> flows, int count,
            Duration slice) throws Exception {
        Flow signIn = flows.stream().filter(flow -> flow.key().equals("anonymous")).findFirst()
                .orElse(flows.get(0));
        String realmId = AdminApi.expect(realm.admin().get(realm.adminPath("")), 200).json().get("id").asText();
        long seedStart = System.nanoTime();
        StaleUsers.seed(IntegrationTest.server(), realmId, count, 60);
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;

        LoadRunner.Stats before = new LoadRunner.Stats(signIn.name() + ", before the purge");
        runner.measure(slice, signIn.request(), before);
        ExecutorService purger = Executors.newSingleThreadExecutor();
        long purgeStart = System.nanoTime();
        // Each call is bounded by the server's purge-max-seconds; call again while it says "more".
        Future<String> purge = purger.submit(() -> purgeUntilDone(realm));
        LoadRunner.Stats during = new LoadRunner.Stats(signIn.name() + ", during the purge");
        while (!purge.isDone()) {
            runner.measure(Duration.ofSeconds(2), signIn.request(), during);
        }
        double purgeSeconds = (System.nanoTime() - purgeStart) / 1e9;
        purger.shutdown();
        String outcome = purge.get();
        LoadRunner.Stats after = new LoadRunner.Stats(signIn.name() + ", after the purge");
        runner.measure(slice, signIn.request(), after);
        return String.format("%npurge of %d stale anonymous users (seeded in %.1f s), %d client threads signing in: "
                + "%s in %.1f s (%.0f users/s)%n%s", count, seedSeconds, runner.threads(), outcome, purgeSeconds,
                count / purgeSeconds,
                LoadRunner.table(List.of(before, during, after), before));
    }

    /** Calls the admin purge until it reports nothing more; says how many it deleted in how many calls. */
    private static String purgeUntilDone(TestRealm realm) throws Exception {
        HttpClient http = LoadRunner.httpClient();
        long deleted = 0;
        int calls = 0;
        boolean more = true;
        while (more) {
            // Our own request with a long timeout: the test API gives up after a minute.
            HttpRequest request = HttpRequest.newBuilder(URI.create(IntegrationTest.server().baseUrl() + "/admin"
                    + realm.adminPath("/app-users/anonymous/purge?inactive_days=30")))
                    .header("Authorization", "Bearer " + realm.admin().token())
                    .timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            calls++;
            if (answer.statusCode() != 200) {
                return String.format("FAILED on call %d after %d deleted: %d %s", calls, deleted,
                        answer.statusCode(), answer.body());
            }
            JsonNode result = Api.JSON.readTree(answer.body());
            deleted += result.get("deleted").asLong();
            more = result.get("more").asBoolean();
        }
        return String.format("%d deleted in %d admin calls", deleted, calls);
    }

    private static final String PLAIN_CLIENT = "service-plain";
    private static final String CLAIMS_CLIENT = "service-claims";

    /** Two service clients, one without our client scope, one whose service user has 5 fields of custom data. */
    private static void prepareCustomDataClaim(TestRealm realm) {
        String plainClient = createServiceClient(realm, PLAIN_CLIENT);
        removeAppUsersScope(realm, plainClient);
        String claimsClient = createServiceClient(realm, CLAIMS_CLIENT);
        String serviceUser = AdminApi.expect(realm.admin().get(realm.adminPath("/clients/" + claimsClient
                + "/service-account-user")), 200).json().get("id").asText();
        AdminApi.expect(realm.admin().put(realm.adminPath("/app-users/users/" + serviceUser + "/custom-data"), map(
                "plan", "gold", "locale", "de-DE", "tz", "Europe/Berlin", "flags", map("beta", true, "dark", false),
                "favourites", java.util.List.of("a", "b", "c", "d"))), 200);
    }

    private static String createServiceClient(TestRealm realm, String clientId) {
        AdminApi.expect(realm.admin().post(realm.adminPath("/clients"), map("clientId", clientId, "publicClient", false,
                "secret", clientId + "-secret", "serviceAccountsEnabled", true, "standardFlowEnabled", false)), 201);
        return AdminApi.expect(realm.admin().get(realm.adminPath("/clients?clientId=" + clientId)), 200).json()
                .get(0).get("id").asText();
    }

    private static void removeAppUsersScope(TestRealm realm, String clientUuid) {
        for (var scope : AdminApi.expect(realm.admin().get(realm.adminPath("/clients/" + clientUuid
                + "/default-client-scopes")), 200).json()) {
            if ("app-users".equals(scope.get("name").asText())) {
                AdminApi.expect(realm.admin().delete(realm.adminPath("/clients/" + clientUuid + "/default-client-scopes/"
                        + scope.get("id").asText())), 204);
            }
        }
    }

    private static boolean post(HttpClient http, String url, String... form) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < form.length; i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(form[i]).append('=').append(URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
        }
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200;
    }
}
