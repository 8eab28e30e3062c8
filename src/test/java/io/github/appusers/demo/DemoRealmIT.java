package io.github.appusers.demo;

import static io.github.appusers.testsupport.AdminApi.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** realm-config/demo-realm.json imports through the admin API and kc.sh import, and works as documented. */
class DemoRealmIT extends IntegrationTest {

    private static final Path DEMO_REALM = Path.of(System.getProperty("it.project.dir", "."), "realm-config",
            "demo-realm.json");
    private static String realm;

    @BeforeAll
    static void importDemoRealm() throws IOException {
        ObjectNode rep = (ObjectNode) Api.JSON.readTree(Files.readString(DEMO_REALM));
        realm = "demo-" + UUID.randomUUID().toString().substring(0, 8);
        rep.put("realm", realm);
        expect(admin().post("/realms", rep), 201);
    }

    private static String tokenUrl() {
        return "/realms/" + realm + "/protocol/openid-connect/token";
    }

    @Test
    void theDemoRealmHasItsClientsSettingsAndClientScope() {
        JsonNode settings = expect(admin().get("/realms/" + realm + "/app-users/settings"), 200).json();
        assertTrue(settings.at("/anonymous/enabled").asBoolean());
        assertTrue(settings.at("/email_password/enabled").asBoolean());
        assertTrue(settings.at("/custom_function/enabled").asBoolean());
        assertTrue(settings.at("/custom_data/user_writable").asBoolean());
        assertTrue(settings.at("/api_keys/enabled").asBoolean());

        JsonNode app = expect(admin().get("/realms/" + realm + "/clients?clientId=demo-app"), 200).json().get(0);
        assertTrue(app.get("publicClient").asBoolean());
        assertEquals("S256", app.at("/attributes/pkce.code.challenge.method").asText());
        assertTrue(names(expect(admin().get("/realms/" + realm + "/clients/" + app.get("id").asText()
                + "/default-client-scopes"), 200).json()).contains("app-users"));
        assertTrue(names(expect(admin().get("/realms/" + realm + "/authentication/flows"), 200).json())
                .containsAll(List.of("browser", "direct grant", "registration", "reset credentials", "guest browser")),
                "the file's own flow comes on top of Keycloak's built-in flows");
    }

    @Test
    void theDemoServiceAndAnonymousLoginWorkAsTheReadmeShows() {
        JsonNode service = expect(api().postForm(tokenUrl(), null, Api.form("grant_type", "client_credentials",
                "client_id", "demo-service", "client_secret", "demo-service-secret")), 200).json();
        assertFalse(Jwt.claims(service.get("access_token").asText()).get("is_anonymous").asBoolean(true));

        JsonNode guest = expect(api().postForm(tokenUrl(), null, Api.form("grant_type",
                "urn:app-users:grant-type:anonymous", "client_id", "demo-app")), 200).json();
        assertTrue(Jwt.claims(guest.get("access_token").asText()).get("is_anonymous").asBoolean());
    }

    /** The browser flow of the file: anonymous=true with PKCE ends at the app with a code, no page shown. */
    @Test
    void anonymousTrueInTheAuthorizationRequestSignsAGuestIn() throws Exception {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String redirect = "http://localhost:3000/callback";
        HttpClient browserLike = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        URI next = URI.create(api().baseUrl() + "/realms/" + realm + "/protocol/openid-connect/auth?client_id=demo-app"
                + "&response_type=code&scope=openid&anonymous=true&code_challenge_method=S256&code_challenge=" + challenge
                + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8));
        for (int hop = 0; hop < 5 && !next.toString().startsWith(redirect); hop++) {
            HttpResponse<String> response = browserLike.send(HttpRequest.newBuilder(next).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(302, response.statusCode(), "no page is shown on the way: " + response.body());
            next = next.resolve(response.headers().firstValue("Location").orElseThrow());
        }
        String code = next.getQuery().replaceAll(".*(^|&)code=([^&]+).*", "$2");
        JsonNode tokens = expect(api().postForm(tokenUrl(), null, Api.form("grant_type", "authorization_code",
                "client_id", "demo-app", "code", code, "redirect_uri", redirect, "code_verifier", verifier)), 200).json();
        assertTrue(Jwt.claims(tokens.get("id_token").asText()).get("is_anonymous").asBoolean());
    }

    /** The offline import path, into a database of its own (the running server keeps its own). */
    @Test
    void kcShImportLoadsTheFile() throws Exception {
        KeycloakServer server = server();
        if (!"dev-file".equals(server.db())) {
            return; // one offline import proves the file; the PostgreSQL pass covers the admin API path
        }
        Path work = Files.createTempDirectory("kc-import");
        String url = "jdbc:h2:file:" + work.resolve("db").toAbsolutePath() + ";NON_KEYWORDS=VALUE";
        List<String> command = new ArrayList<>(List.of(server.home().resolve("bin/kc.sh").toString(), "import",
                "--optimized", "--file", DEMO_REALM.toAbsolutePath().toString(), "--db-url=" + url,
                "--db-username=sa", "--db-password=password"));
        Path log = work.resolve("import.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "kc.sh import finished");
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("Realm 'demo' imported"), output);
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(node -> names.add(node.has("name") ? node.get("name").asText() : node.path("alias").asText()));
        return names;
    }
}
