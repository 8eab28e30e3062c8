package io.github.appusers.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Real HTTP function endpoints on loopback (the JDK's HTTP server), answering as each test
 * needs. Every call is recorded with its body and whether its signature verified.
 */
public final class FunctionServer implements AutoCloseable {

    /** What a handler sends back. */
    public record Answer(int status, String body, Map<String, String> headers) {
        /** Header marking an answer that dies mid-way: half the declared body is sent, then the connection closes. */
        static final String DIE_MID_ANSWER = "X-Test-Die-Mid-Answer";

        /** A function process that dies while answering. */
        public static Answer diesMidAnswer(String body) {
            return new Answer(200, body, Map.of(DIE_MID_ANSWER, "true"));
        }

        /** A function process that dies before answering: the connection closes with no response at all. */
        public static Answer hangsUp() {
            return new Answer(-1, "", Map.of());
        }

        public static Answer json(Object body) {
            return new Answer(200, Api.toJson(body), Map.of());
        }
    }

    /** One call as the function saw it. */
    public record Call(String path, JsonNode body, boolean signatureValid, long signedAt) {
    }

    public interface Handler {
        Answer answer(JsonNode body) throws Exception;
    }

    private final HttpServer server;
    private final String secret;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    public FunctionServer(String secret) throws IOException {
        // Without TCP_NODELAY the JDK server's small answers wait for delayed ACKs (~40 ms each).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(24));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public FunctionServer on(String path, Handler handler) {
        handlers.put(path, handler);
        return this;
    }

    public List<Call> calls(String path) {
        return calls.stream().filter(call -> call.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst("X-App-Users-Signature");
            long signedAt = -1;
            boolean valid = false;
            if (signature != null && signature.matches("t=\\d+,v1=[0-9a-f]{64}")) {
                signedAt = Long.parseLong(signature.substring(2, signature.indexOf(',')));
                String expected = hmac(signedAt + ".", body);
                valid = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                        signature.substring(signature.indexOf("v1=") + 3).getBytes(StandardCharsets.US_ASCII));
            }
            String path = exchange.getRequestURI().getPath();
            JsonNode json = body.length == 0 ? null : Api.JSON.readTree(body);
            calls.add(new Call(path, json, valid, signedAt));
            Handler handler = handlers.get(path);
            Answer answer = handler == null ? new Answer(404, "{\"error\":\"no such function\"}", Map.of())
                    : handler.answer(json);
            if (answer.status() < 0) {
                return; // closing the exchange unanswered drops the connection
            }
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            if (answer.headers().containsKey(Answer.DIE_MID_ANSWER)) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), out.length * 2L);
                exchange.getResponseBody().write(out);
                exchange.getResponseBody().flush();
                return; // closing short of the declared length: the client sees the connection die
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(out);
                }
            }
        } catch (Exception e) {
            // The client may have gone (timeouts); nothing to answer.
        }
    }

    /** The test's own HMAC (JDK), independent of the extension's code. */
    private String hmac(String prefix, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(prefix.getBytes(StandardCharsets.US_ASCII));
        mac.update(body);
        return HexFormat.of().formatHex(mac.doFinal());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
