package io.github.appusers.testsupport;

import java.time.Duration;
import java.util.List;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * testcontainers-keycloak's container of our image, on the host's network: Keycloak, the tests,
 * PostgreSQL, the function and mail servers of the tests and the other cluster nodes all talk
 * over 127.0.0.1, and nothing needs Docker's port mapping or iptables. So Keycloak listens on free
 * ports of the host, the ports Testcontainers would map are cleared, and the start is seen in the
 * log rather than on a mapped port. Started with {@code start --optimized}: the image holds the build.
 */
public class AppUsersKeycloakContainer extends KeycloakContainer {

    private static final String LOOPBACK = "127.0.0.1";

    private final int httpPort;
    private final int managementPort;

    public AppUsersKeycloakContainer(String image, int httpPort, int managementPort, Duration startupTimeout) {
        super(image);
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        withNetworkMode("host");
        withOptimizedFlag();
        withAdminUsername(KeycloakServer.ADMIN_USER);
        withAdminPassword(KeycloakServer.ADMIN_PASSWORD);
        withEnv("KC_HTTP_PORT", String.valueOf(httpPort));
        withEnv("KC_HTTP_MANAGEMENT_PORT", String.valueOf(managementPort));
        waitingFor(Wait.forLogMessage(".*Listening on: http://0\\.0\\.0\\.0:" + httpPort + "\\b.*", 1)
                .withStartupTimeout(startupTimeout));
    }

    @Override
    protected void configure() {
        super.configure();
        setExposedPorts(List.of()); // host networking maps nothing
    }

    @Override
    public String getHost() {
        return LOOPBACK;
    }

    @Override
    public int getHttpPort() {
        return httpPort;
    }

    @Override
    public int getHttpMgmtPort() {
        return managementPort;
    }
}
