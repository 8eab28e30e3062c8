package io.github.appusers.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * examples/function-server/FunctionServer.java run as run.sh runs it: the JDK's source launcher
 * in a process of its own, on a free port of 127.0.0.1, configured through its environment.
 */
public final class ExampleServerProcess implements AutoCloseable {

    public static final Path PROJECT = Path.of(System.getProperty("it.project.dir", "."));
    public static final Path SOURCE = PROJECT.resolve("examples/function-server/FunctionServer.java");

    private final Process process;
    private final Path log;
    private final int port;

    private ExampleServerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts it with the given environment (FUNCTION_PORT is set here) and waits until it listens. */
    public static ExampleServerProcess start(String logName, Map<String, String> environment)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path logDir = Path.of(System.getProperty("it.log.dir", PROJECT.resolve("target/it-logs").toString()));
        Files.createDirectories(logDir);
        Path log = logDir.resolve(logName);
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), SOURCE.toString())
                .directory(PROJECT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("FUNCTION_PORT", Integer.toString(port));
        ExampleServerProcess server = new ExampleServerProcess(builder.start(), log, port);
        server.awaitPort(Duration.ofSeconds(60));
        return server;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitPort(Duration limit) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the example exited with " + process.exitValue() + ": " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the example did not listen on port " + port + " within " + limit + ": " + log());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
