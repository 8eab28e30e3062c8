package io.github.appusers.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Several Keycloak servers on loopback forming one cluster with Keycloak's own clustering:
 * {@code --cache=ispn} with the default {@code jdbc-ping} stack, which finds the members through
 * the shared PostgreSQL database. The distribution is built once (in {@code it.keycloak.home},
 * a copy of its own so the single-node passes keep their build), then copied per node, since
 * each node keeps its own data/ (transaction logs, temporary files).
 *
 * <p>Every node is configured with the first node's URL as {@code --hostname}, as a load
 * balancer's address would be, so tokens issued by one node are valid on the others.
 *
 * <p>In the container pass ({@link ContainerKeycloak}) the nodes are containers of our image on
 * the host's network instead, with the same options.
 */
public final class KeycloakCluster {

    private static final Duration VIEW_TIMEOUT = Duration.ofMinutes(3);

    private static KeycloakCluster shared;

    private final List<KeycloakServer> nodes;
    private final List<Api> apis = new ArrayList<>();
    private final List<AdminApi> admins = new ArrayList<>();

    private KeycloakCluster(List<KeycloakServer> nodes) {
        this.nodes = nodes;
        for (KeycloakServer node : nodes) {
            Api api = new Api(node.baseUrl());
            apis.add(api);
            admins.add(new AdminApi(api));
        }
    }

    /** The two-node cluster of this test JVM, started on first use and stopped when the JVM ends. */
    public static synchronized KeycloakCluster shared() {
        if (shared == null) {
            shared = start(2);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shared.nodes.forEach(KeycloakServer::stop),
                    "keycloak-cluster-stop"));
        }
        return shared;
    }

    private static KeycloakCluster start(int size) {
        if (!"postgres".equals(System.getProperty("it.db"))) {
            throw new IllegalStateException("The cluster test needs PostgreSQL: run it through the it-cluster"
                    + " execution of pom.xml (mvn verify -Dit.h2.skip=true -Dit.postgres.skip=true -Dit.cluster.skip=false)");
        }
        boolean inContainers = ContainerKeycloak.selected();
        Path providerJar = Path.of(KeycloakServer.required("it.provider.jar"));
        Path logDir = Path.of(System.getProperty("it.log.dir", "target"));
        List<KeycloakServer> nodes = new ArrayList<>();
        try {
            Path template = null;
            if (!inContainers) {
                template = Path.of(KeycloakServer.required("it.keycloak.home")).toAbsolutePath();
                new KeycloakServer(template, providerJar, "postgres", logDir, "cluster-build", List.of()).installAndBuild();
            }
            // The first node's URL, picked before any node starts, is every node's public URL.
            String publicUrl = null;
            for (int i = 1; i <= size; i++) {
                List<String> options = new ArrayList<>(List.of("--cache=ispn",
                        "--cache-embedded-network-bind-address=127.0.0.1",
                        "--cache-embedded-network-bind-port=" + KeycloakServer.freePort(),
                        // A purge schedule that ticks within a test, in small batches, so that
                        // concurrent purges would interleave many transactions.
                        "--spi-events-listener--app-users--purge-interval-seconds=10",
                        "--spi-events-listener--app-users--purge-batch-size=5"));
                options.addAll(TestOptions.serverOptions());
                KeycloakServer node;
                if (inContainers) {
                    node = ContainerKeycloak.clusterNode("container-node-" + i, options);
                } else {
                    Path home = template.resolveSibling("node-" + i);
                    copyHome(template, home);
                    node = new KeycloakServer(home, providerJar, "postgres", logDir, "cluster-node-" + i, options);
                }
                if (publicUrl == null) {
                    publicUrl = node.reservePorts();
                }
                options.add("--hostname=" + publicUrl); // the list is the node's own: read when it starts
                nodes.add(node);
            }
            if (inContainers) {
                nodes.get(0).installAndBuild(); // an empty database: the image holds the JAR and the build
            }
            // One after the other: the first creates the schema, the others join its cluster.
            for (KeycloakServer node : nodes) {
                node.start();
            }
            awaitView(nodes);
        } catch (IOException | InterruptedException | RuntimeException e) {
            nodes.forEach(KeycloakServer::stop);
            throw new IllegalStateException("The Keycloak cluster could not be started", e);
        }
        return new KeycloakCluster(nodes);
    }

    /** Waits until every node has logged Infinispan's cluster view with all members. */
    private static void awaitView(List<KeycloakServer> nodes) throws InterruptedException {
        Pattern fullView = Pattern.compile("ISPN000094: Received new cluster view for channel \\S+: \\[[^\\]]*\\] \\("
                + nodes.size() + "\\)");
        Instant deadline = Instant.now().plus(VIEW_TIMEOUT);
        while (!nodes.stream().allMatch(node -> fullView.matcher(node.logSinceStart()).find())) {
            for (KeycloakServer node : nodes) {
                if (!node.isRunning()) {
                    throw new IllegalStateException("a cluster node exited; see " + node.logFile());
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the nodes did not form a cluster of " + nodes.size() + " within "
                        + VIEW_TIMEOUT + "; see " + nodes.stream().map(n -> n.logFile().toString()).toList());
            }
            Thread.sleep(500);
        }
    }

    /** Copies the built distribution, without data/: every node has its own. */
    private static void copyHome(Path from, Path to) throws IOException {
        deleteRecursively(to);
        Path data = from.resolve("data");
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.filter(p -> !p.startsWith(data)).toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    public int size() {
        return nodes.size();
    }

    public KeycloakServer node(int index) {
        return nodes.get(index);
    }

    /** A client of node {@code index}. */
    public Api api(int index) {
        return apis.get(index);
    }

    /** The master realm's admin, logged in on node {@code index}. */
    public AdminApi admin(int index) {
        return admins.get(index);
    }
}
