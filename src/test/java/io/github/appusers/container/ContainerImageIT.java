package io.github.appusers.container;

import static io.github.appusers.testsupport.AdminApi.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectImageResponse;
import io.github.appusers.testsupport.Api;
import io.github.appusers.testsupport.ContainerKeycloak;
import io.github.appusers.testsupport.IntegrationTest;
import io.github.appusers.testsupport.Jwt;
import io.github.appusers.testsupport.MetricsScrape;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The image itself, in the container pass (the other tests of the pass run unchanged against a
 * container of it): the realm file imported as the container starts, the layout of Keycloak's
 * official image that the Keycloak Operator relies on, and the build options baked into it.
 */
class ContainerImageIT extends IntegrationTest {

    @Test
    void theRealmFileImportedAtStartHasItsSettingsAndSignsGuestsIn() {
        JsonNode settings = expect(admin().get("/realms/demo/app-users/settings"), 200).json();
        assertTrue(settings.at("/anonymous/enabled").asBoolean());
        assertTrue(settings.at("/api_keys/enabled").asBoolean());

        JsonNode guest = expect(api().postForm("/realms/demo/protocol/openid-connect/token", null,
                Api.form("grant_type", "urn:app-users:grant-type:anonymous", "client_id", "demo-app")), 200).json();
        assertTrue(Jwt.claims(guest.get("access_token").asText()).get("is_anonymous").asBoolean());
    }

    @Test
    void theImageHasTheLayoutOfKeycloaksOfficialImage() {
        InspectImageResponse image = DockerClientFactory.instance().client()
                .inspectImageCmd(ContainerKeycloak.image()).exec();
        assertEquals("1000", image.getConfig().getUser());
        assertEquals(List.of("/opt/keycloak/bin/kc.sh"), List.of(image.getConfig().getEntrypoint()));
        assertEquals(System.getProperty("it.keycloak.version"),
                image.getConfig().getLabels().get("io.github.appusers.keycloak-version"));
    }

    @Test
    void theServerRunsWithTheBuildOptionsOfTheImage() {
        // metrics-enabled is a build option: start --optimized serves /metrics only if the image has it.
        assertTrue(MetricsScrape.scrape(server()).has("jvm_memory_used_bytes"));
        // declarative-ui, for our admin console tabs.
        assertTrue(server().logSinceStart().lines().anyMatch(line -> line.contains("features enabled")
                && line.contains("declarative-ui")), "the declarative-ui feature is on");
    }
}
