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
import java.util.List;

import io.github.appusers.testsupport.AdminApi;
import io.github.appusers.testsupport.FunctionServer;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.KeycloakServer;
import io.github.appusers.testsupport.TestRealm;

/**
 * Our token flows next to Keycloak's own, on one server in one run, printed as a table with the
 * ratio to client_credentials. Run with bench/run.sh (not part of the test suite: no timing is
 * ever asserted).
 */
public final class GrantBenchmark {

    private GrantBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.getInteger("bench.threads", 8);
        Duration warmUp = Duration.ofSeconds(Long.getLong("bench.warmup.seconds", 10));
        Duration measure = Duration.ofSeconds(Long.getLong("bench.seconds", 30));
        LoadRunner runner = new LoadRunner(threads, warmUp, measure);

        KeycloakServer server = KeycloakServer.shared();
        TestRealm realm = TestRealm.create("bench", map("anonymous", map("enabled", true, "max_per_ip_per_hour", 0),
                "custom_function", map("enabled", true), "api_keys", map("enabled", true)));
        realm.createUser("bench-user", "bench-password");
        // An instant login function on loopback, answering the same id: every login after the first finds the user.
        FunctionServer function = new FunctionServer("bench-function-secret-0123456789")
                .on("/login", body -> FunctionServer.Answer.json(map("id", "bench-fn-user")));
        AdminApi.expect(realm.admin().put(realm.adminPath("/app-users/functions/bench-login"), map("kind", "login",
                "url", function.url("/login"), "secret", "bench-function-secret-0123456789")), 200);
        HttpClient http = LoadRunner.httpClient();
        String tokenUrl = server.baseUrl() + realm.tokenEndpoint();

        List<LoadRunner.Result> results = new ArrayList<>();
        LoadRunner.Request clientCredentialsRequest = worker ->
                post(http, tokenUrl, "grant_type", "client_credentials", "client_id", TestRealm.SERVICE_CLIENT,
                        "client_secret", TestRealm.SERVICE_SECRET);
        // A fresh server is still compiling hot paths: warm it up before the first measurement.
        new LoadRunner(threads, Duration.ZERO, warmUp.multipliedBy(3)).run("server warm-up", clientCredentialsRequest);
        LoadRunner.Result firstBaseline = runner.run("client_credentials (Keycloak), first", clientCredentialsRequest);
        results.add(firstBaseline);
        results.add(runner.run("password (Keycloak)", worker ->
                post(http, tokenUrl, "grant_type", "password", "client_id", TestRealm.APP_CLIENT,
                        "username", "bench-user", "password", "bench-password")));
        results.add(runner.run("anonymous sign-in (app-users)", worker ->
                post(http, tokenUrl, "grant_type", "urn:app-users:grant-type:anonymous",
                        "client_id", TestRealm.SERVICE_CLIENT, "client_secret", TestRealm.SERVICE_SECRET)));

        results.add(runner.run("custom-function login (app-users)", worker ->
                post(http, tokenUrl, "grant_type", "urn:app-users:grant-type:custom-function",
                        "client_id", TestRealm.SERVICE_CLIENT, "client_secret", TestRealm.SERVICE_SECRET,
                        "function", "bench-login", "payload", "{\"user\":\"bench\"}")));
        function.close();

        String apiKey = AdminApi.expect(realm.admin().post(realm.adminPath("/app-users/api-keys"), map("name", "bench")),
                201).json().get("key").asText();
        results.add(runner.run("api-key login (app-users)", worker ->
                post(http, tokenUrl, "grant_type", "urn:app-users:grant-type:api-key",
                        "client_id", TestRealm.SERVICE_CLIENT, "client_secret", TestRealm.SERVICE_SECRET,
                        "api_key", apiKey)));

        // Custom data claim: the same client_credentials token, with and without our claims.
        String plainClient = createServiceClient(realm, "service-plain");
        removeAppUsersScope(realm, plainClient);
        String serviceClientId = AdminApi.expect(realm.admin().get(realm.adminPath("/clients?clientId="
                + TestRealm.SERVICE_CLIENT)), 200).json().get(0).get("id").asText();
        String serviceUser = AdminApi.expect(realm.admin().get(realm.adminPath("/clients/" + serviceClientId
                + "/service-account-user")), 200).json().get("id").asText();
        AdminApi.expect(realm.admin().put(realm.adminPath("/app-users/users/" + serviceUser + "/custom-data"), map(
                "plan", "gold", "locale", "de-DE", "tz", "Europe/Berlin", "flags", map("beta", true, "dark", false),
                "favourites", java.util.List.of("a", "b", "c", "d"))), 200);
        LoadRunner.Result plain = runner.run("client_credentials, no app-users claims", worker ->
                post(http, tokenUrl, "grant_type", "client_credentials", "client_id", "service-plain",
                        "client_secret", "service-plain-secret"));
        results.add(plain);
        LoadRunner.Result withClaim = runner.run("client_credentials + custom_data claim", worker ->
                post(http, tokenUrl, "grant_type", "client_credentials", "client_id", TestRealm.SERVICE_CLIENT,
                        "client_secret", TestRealm.SERVICE_SECRET));
        results.add(withClaim);

        LoadRunner.Result lastBaseline = runner.run("client_credentials (Keycloak), last", clientCredentialsRequest);
        results.add(lastBaseline);
        // The baseline is the mean of the first and last client_credentials runs, so drift during
        // the run (warm-up, garbage, a growing database) does not favour either side.
        LoadRunner.Result clientCredentials = new LoadRunner.Result("client_credentials (mean)",
                firstBaseline.requests() + lastBaseline.requests(), 0, firstBaseline.seconds() + lastBaseline.seconds(),
                Double.NaN, Double.NaN);

        System.out.println();
        System.out.printf("keycloak-app-users benchmark: Keycloak 26.7.3, db=%s, %d client threads, %ds per flow "
                + "after %ds warm-up, %d cores%n", server.db(), threads, measure.toSeconds(), warmUp.toSeconds(),
                Runtime.getRuntime().availableProcessors());
        System.out.print(LoadRunner.table(results, clientCredentials));
        System.out.printf("custom_data claim ratio (with / without our claims, same grant): %.2f%n",
                withClaim.perSecond() / plain.perSecond());
        IntegrationTest.server().stop();
        System.exit(0);
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
