package io.github.appusers.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.output.OutputFrame;

/**
 * The container pass ({@code it.server=container}, failsafe executions {@code it-container} and
 * {@code it-container-cluster}): the shared server of {@link IntegrationTest} and the nodes of
 * {@link KeycloakCluster} run as containers of our image instead of processes of the unpacked
 * distribution, on PostgreSQL. The image is built once per test JVM from the fresh JAR by
 * {@code container/build-image.sh} (what admins run), then started through testcontainers-keycloak.
 *
 * <p>System properties: {@code it.container.image} (the tag; when empty, one of this checkout's
 * own), {@code it.container.build-script}, {@code it.container.tarball}, {@code it.keycloak.version},
 * {@code it.provider.jar}, {@code it.log.dir}. The pass fails, it is never skipped, when Docker is
 * missing.
 */
public final class ContainerKeycloak {

    static final String HOW_TO = "The container pass needs a Docker engine: run it through .ci/run (it installs"
            + " Debian's docker.io, starts dockerd and makes the local base images), or skip it with"
            + " -Dit.container.skip=true";

    /** realm-config/demo-realm.json: failsafe puts realm-config/ on the class path of the container pass. */
    static final String DEMO_REALM_FILE = "demo-realm.json";

    /** Label of every container the tests start (docker ps --filter label=io.github.appusers.it). */
    static final String LABEL = "io.github.appusers.it";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

    private static String image;
    private static RuntimeException failure;

    private ContainerKeycloak() {
    }

    static boolean selected() {
        return "container".equals(System.getProperty("it.server"));
    }

    /** The server the tests of this JVM share: one container, the demo realm imported as it starts. */
    static KeycloakServer sharedServer() {
        List<String> options = new ArrayList<>(List.of("--cache=local"));
        options.addAll(TestOptions.serverOptions());
        return server("container", List.of(DEMO_REALM_FILE), options);
    }

    /** A node of {@link KeycloakCluster}, with the node's {@code kc.sh start} options. */
    static KeycloakServer clusterNode(String name, List<String> options) {
        return server(name, List.of(), options);
    }

    private static KeycloakServer server(String name, List<String> realmFiles, List<String> options) {
        if (!"postgres".equals(System.getProperty("it.db"))) {
            throw new IllegalStateException("The image is built for PostgreSQL (kc.sh build --db=postgres): run the"
                    + " container pass with it.db=postgres, as the it-container executions of pom.xml do");
        }
        return new KeycloakServer(new ContainerLauncher(image(), name, realmFiles), "postgres", logDir(), name, options);
    }

    /** Our image, built (or found up to date) on first use; a failure is remembered and reported to every test. */
    public static synchronized String image() {
        if (failure != null) {
            throw failure;
        }
        if (image == null) {
            try {
                requireDocker();
                image = build();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return image;
    }

    private static void requireDocker() {
        try {
            DockerClientFactory.instance().client();
        } catch (RuntimeException e) {
            throw new IllegalStateException("No Docker engine answers (" + e.getMessage() + "). " + HOW_TO, e);
        }
    }

    private static String build() {
        String tag = tag();
        Path log = logDir().resolve("container-image-build.log");
        List<String> command = List.of("bash", KeycloakServer.required("it.container.build-script"),
                "--tag", tag, "--jar", KeycloakServer.required("it.provider.jar"),
                "--tarball", KeycloakServer.required("it.container.tarball"),
                "--keycloak-version", KeycloakServer.required("it.keycloak.version"), "--test-images");
        try {
            Files.createDirectories(log.getParent());
            Instant started = Instant.now();
            // Appended: both container executions build (the second finds the image up to date).
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("Building the image failed: " + String.join(" ", command) + "\nsee "
                        + log + ":\n" + tail(log) + "\n" + HOW_TO);
            }
            Files.writeString(log, "image ready in " + Duration.between(started, Instant.now()).toSeconds() + " s\n",
                    StandardOpenOption.APPEND);
            return tag;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the image", e);
        }
    }

    /**
     * {@code it.container.image}, or {@code keycloak-app-users:it-<hash of the checkout's path>}: checkouts that
     * share one Docker engine would otherwise retag each other's image between build and start.
     */
    private static String tag() {
        String configured = System.getProperty("it.container.image", "");
        if (!configured.isBlank()) {
            return configured;
        }
        String checkout = Path.of(KeycloakServer.required("it.project.dir")).toAbsolutePath().toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(checkout.getBytes(StandardCharsets.UTF_8));
            return "keycloak-app-users:it-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path logDir() {
        return Path.of(System.getProperty("it.log.dir", "target"));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Runs one server's Keycloak as a container; a restart is a new container of the same image. */
    private static final class ContainerLauncher implements KeycloakServer.Launcher {

        private final String image;
        private final String name;
        private final List<String> realmFiles;
        private AppUsersKeycloakContainer container;

        ContainerLauncher(String image, String name, List<String> realmFiles) {
            this.image = image;
            this.name = name;
            this.realmFiles = realmFiles;
        }

        @Override
        public synchronized void start(List<String> startOptions, int httpPort, int managementPort, Path logFile) {
            AppUsersKeycloakContainer starting = new AppUsersKeycloakContainer(image, httpPort, managementPort,
                    START_TIMEOUT);
            starting.withLabel(LABEL, name).withLogConsumer(frame -> append(logFile, frame));
            realmFiles.forEach(starting::withRealmImportFile);
            startOptions.forEach(starting::withCustomCommand);
            try {
                starting.start();
            } catch (RuntimeException e) {
                starting.stop();
                throw new IllegalStateException("The container " + name + " of " + image + " did not start; see "
                        + logFile, e);
            }
            container = starting;
        }

        /** The container's output goes to the server's log file, as the distribution's does. */
        private static synchronized void append(Path logFile, OutputFrame frame) {
            try {
                Files.write(logFile, frame.getBytes() == null ? new byte[0] : frame.getBytes(),
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized boolean isRunning() {
            return container != null && container.isRunning();
        }

        @Override
        public synchronized void stop() {
            if (container != null) {
                container.stop();
                container = null;
            }
        }
    }
}
