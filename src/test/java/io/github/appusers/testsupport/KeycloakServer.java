package io.github.appusers.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the real Keycloak distribution (unpacked by Maven from Maven Central) with our freshly
 * built JAR in {@code providers/}: {@code kc.sh build} once, then {@code kc.sh start --optimized}
 * on free ports. One server per test JVM (one per database pass), shared by every test class;
 * {@link KeycloakCluster} runs several of them as one cluster. With {@code it.server=container}
 * the same server runs as a container of our image instead ({@link ContainerKeycloak}): tests see
 * no difference but {@link #home()}.
 *
 * <p>System properties (set by the failsafe executions in pom.xml):
 * {@code it.keycloak.home}, {@code it.provider.jar}, {@code it.db} ({@code dev-file} or
 * {@code postgres}), {@code it.log.dir}; {@code it.postgres.url}/{@code it.postgres.user} for
 * the PostgreSQL pass.
 */
public final class KeycloakServer {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private static final String H2_USER = "sa";
    private static final String H2_PASSWORD = "password";

    private static KeycloakServer shared;

    /** Starts and stops a server's Keycloak elsewhere than in a process of the unpacked distribution. */
    interface Launcher {
        /** Starts Keycloak with these {@code kc.sh start --optimized} options, its output appended to the log file. */
        void start(List<String> startOptions, int httpPort, int managementPort, Path logFile) throws IOException;

        boolean isRunning();

        void stop();
    }

    private final Path home;
    private final Path providerJar;
    private final String db;
    private final Path logDir;
    private final String name;
    private final List<String> extraOptions;
    private final Launcher launcher;
    private Process process;
    private int httpPort;
    private int managementPort;
    private Path logFile;
    private long logOffsetAtStart;

    /**
     * @param name names the log file ({@code keycloak-<name>.log})
     * @param extraOptions {@code kc.sh start} options beside ports and database, the cache mode among them
     */
    KeycloakServer(Path home, Path providerJar, String db, Path logDir, String name, List<String> extraOptions) {
        this.home = home.toAbsolutePath();
        this.providerJar = providerJar;
        this.db = db;
        this.logDir = logDir;
        this.name = name;
        this.extraOptions = extraOptions;
        this.launcher = null;
    }

    /** A server whose Keycloak the launcher runs (a container of our image, JAR and build included). */
    KeycloakServer(Launcher launcher, String db, Path logDir, String name, List<String> extraOptions) {
        this.home = null;
        this.providerJar = null;
        this.db = db;
        this.logDir = logDir;
        this.name = name;
        this.extraOptions = extraOptions;
        this.launcher = launcher;
    }

    /** The server every integration test of this JVM shares, started on first use. */
    public static synchronized KeycloakServer shared() {
        if (shared == null) {
            KeycloakServer server = ContainerKeycloak.selected() ? ContainerKeycloak.sharedServer() : fromSystemProperties();
            server.buildAndStart();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "keycloak-stop"));
            shared = server;
        }
        return shared;
    }

    static KeycloakServer fromSystemProperties() {
        String db = System.getProperty("it.db", "dev-file");
        List<String> options = new ArrayList<>(List.of("--cache=local"));
        options.addAll(TestOptions.serverOptions());
        return new KeycloakServer(
                Path.of(required("it.keycloak.home")),
                Path.of(required("it.provider.jar")),
                db,
                Path.of(System.getProperty("it.log.dir", "target")),
                db, options);
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property
                    + " is not set: run the integration tests through Maven (mvn verify)");
        }
        return value;
    }

    /** The unpacked distribution this server runs from; a server in a container has none. */
    public Path home() {
        if (home == null) {
            throw new IllegalStateException("Keycloak runs in a container here: there is no distribution home");
        }
        return home;
    }

    public String db() {
        return db;
    }

    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** Picks this server's ports now (kept by every later start), so others can be told its URL first. */
    synchronized String reservePorts() throws IOException {
        if (httpPort == 0) {
            httpPort = freePort();
            managementPort = freePort();
        }
        return baseUrl();
    }

    /** The management interface (health, metrics): {@code /metrics} serves Prometheus text. */
    public String managementUrl() {
        return "http://localhost:" + managementPort;
    }

    public Path logFile() {
        return logFile;
    }

    public synchronized void buildAndStart() {
        try {
            installAndBuild();
            start();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("Keycloak could not be started", e);
        }
    }

    /** Our JAR into providers/, an empty database, and {@code kc.sh build}; the server is not started. */
    synchronized void installAndBuild() throws IOException, InterruptedException {
        if (launcher != null) {
            prepareDatabase(); // the image holds our JAR and the build
            Files.createDirectories(logDir);
            return;
        }
        installProvider();
        prepareDatabase();
        Files.createDirectories(logDir);
        // declarative-ui: our admin console tabs (AdminConsoleTabIT), off by default in Keycloak 26.7;
        // metrics: EventsAndMetricsIT reads our counters at /metrics on the management port;
        // the file vault: secrets given as ${vault.key} (SecretsIT).
        run(List.of("build", "--db=" + db, "--health-enabled=true", "--metrics-enabled=true",
                "--features=declarative-ui", "--vault=file"),
                logDir.resolve("keycloak-build-" + name + ".log"), Duration.ofMinutes(5));
    }

    /**
     * Starts (again) on the same data; the build is kept. A restart keeps the ports of the first
     * start, so base URLs and clients made for this server stay valid.
     */
    public synchronized void start() throws IOException, InterruptedException {
        reservePorts();
        logFile = logDir.resolve("keycloak-" + name + ".log");
        logOffsetAtStart = Files.exists(logFile) ? Files.size(logFile) : 0;
        List<String> options = new ArrayList<>(List.of("--http-enabled=true", "--http-port=" + httpPort,
                "--http-management-port=" + managementPort, "--hostname-strict=false"));
        // Keycloak's public key storage reloads a JWKS for an unknown kid at most every 10 s by
        // default. It reloads when "now > last load + minimum", in whole seconds, so 0 would still
        // wait for the next second; -1 reloads at once: a rotated key is taken without a wait (CustomTokenIT).
        options.add("--spi-public-key-storage--infinispan--min-time-between-requests=-1");
        options.addAll(dbOptions());
        options.addAll(extraOptions);
        if (launcher != null) {
            launcher.start(options, httpPort, managementPort, logFile);
            awaitReady();
            return;
        }
        // The distribution is built with the file vault (SecretsIT); the image is not.
        Files.createDirectories(vaultDir());
        options.add("--vault-dir=" + vaultDir());
        List<String> command = new ArrayList<>(List.of(kcScript().toString(), "start", "--optimized"));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        environment(builder.environment());
        process = builder.start();
        awaitReady();
    }

    /**
     * The file vault's directory: a file {@code <realm>_<key>} there is what {@code ${vault.key}}
     * means in that realm (underscores in either part doubled).
     */
    public Path vaultDir() {
        return home.resolve("vault");
    }

    public synchronized boolean isRunning() {
        if (launcher != null) {
            return launcher.isRunning();
        }
        return process != null && process.isAlive();
    }

    /** The log written since this server was last started. */
    public String logSinceStart() {
        try {
            byte[] log = Files.readAllBytes(logFile);
            int from = (int) Math.min(logOffsetAtStart, log.length);
            return new String(log, from, log.length - from, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        if (launcher != null) {
            launcher.stop();
            return;
        }
        if (process == null) {
            return;
        }
        Process running = process;
        process = null;
        running.descendants().forEach(ProcessHandle::destroy);
        running.destroy();
        try {
            if (!running.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                running.descendants().forEach(ProcessHandle::destroyForcibly);
                running.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void installProvider() throws IOException {
        if (!Files.isRegularFile(providerJar)) {
            throw new IllegalStateException(providerJar + " does not exist: run mvn verify (package comes first)");
        }
        Path providers = home.resolve("providers");
        Files.createDirectories(providers);
        Files.copy(providerJar, providers.resolve("keycloak-app-users.jar"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Every run starts on an empty database, so tests never see an earlier run's data. */
    private void prepareDatabase() throws IOException {
        if ("postgres".equals(db)) {
            String adminUrl = TestOptions.postgresAdminUrl();
            try (Connection connection = DriverManager.getConnection(adminUrl, TestOptions.postgresUser(), "");
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + TestOptions.postgresDatabase() + " WITH (FORCE)");
                statement.execute("CREATE DATABASE " + TestOptions.postgresDatabase());
            } catch (SQLException e) {
                throw new IllegalStateException("PostgreSQL is not reachable at " + adminUrl
                        + " (start it, or run with -Dit.postgres.skip=true)", e);
            }
        } else {
            deleteRecursively(home.resolve("data"));
        }
    }

    private List<String> dbOptions() {
        if ("postgres".equals(db)) {
            return List.of("--db-url=" + TestOptions.postgresUrl(), "--db-username=" + TestOptions.postgresUser(),
                    "--db-password=");
        }
        return List.of("--db-url=" + h2Url(), "--db-username=" + H2_USER, "--db-password=" + H2_PASSWORD);
    }

    /**
     * The dev-file database, opened with AUTO_SERVER so the tests can read and age rows beside
     * Keycloak, and with a 10 s lock timeout: concurrent inserts into one unique index wait on each other in H2,
     * and the race tests' 20 concurrent writers on a loaded 2-core machine outwait H2's 1 s default.
     */
    String h2Url() {
        return "jdbc:h2:file:" + home.resolve("data/h2/keycloakdb").toAbsolutePath()
                + ";NON_KEYWORDS=VALUE;AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000";
    }

    /** A JDBC connection to the server's database, for assertions on stored rows and for ageing them. */
    public Connection openDatabase() throws SQLException {
        if ("postgres".equals(db)) {
            return DriverManager.getConnection(TestOptions.postgresUrl(), TestOptions.postgresUser(), "");
        }
        return DriverManager.getConnection(h2Url(), H2_USER, H2_PASSWORD);
    }

    private void environment(Map<String, String> env) {
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        String javaHome = System.getenv("KC_JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            env.put("JAVA_HOME", javaHome);
        }
    }

    private void run(List<String> args, Path log, Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(kcScript().toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        environment(builder.environment());
        Process build = builder.start();
        if (!build.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS) || build.exitValue() != 0) {
            build.destroyForcibly();
            throw new IllegalStateException("kc.sh " + String.join(" ", args) + " failed; see " + log + "\n" + tail(log));
        }
    }

    private void awaitReady() throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://localhost:" + managementPort + "/health/ready");
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!isRunning()) {
                throw new IllegalStateException("Keycloak exited during start; see " + logFile + "\n" + tail(logFile));
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(ready).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        stop();
        throw new IllegalStateException("Keycloak was not ready within " + START_TIMEOUT + "; see " + logFile);
    }

    private Path kcScript() {
        return home.resolve("bin").resolve("kc.sh");
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
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
}
