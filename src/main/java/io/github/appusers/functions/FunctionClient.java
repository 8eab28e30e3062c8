package io.github.appusers.functions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.appusers.common.AppUsersMetrics;
import io.github.appusers.common.ClientAddress;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.keycloak.common.util.Time;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JsonSerialization;

/**
 * Calls a function over Keycloak's own HTTP client: a signed JSON POST, no redirects, the
 * function's timeout for the whole exchange, and a cap on the answer's size.
 */
public final class FunctionClient {

    /** Answers larger than this are refused as malformed; functions answer small documents. */
    static final int MAX_ANSWER_BYTES = 256 * 1024;

    /**
     * One daemon thread for all call deadlines of this JVM: it only aborts overdue requests.
     * (CompletableFuture.delayedExecutor would start a thread per call on a 2-core machine.)
     */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final KeycloakSession session;

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "app-users-function-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    public FunctionClient(KeycloakSession session) {
        this.session = session;
    }

    /**
     * Posts {@code request}, with the request's {@code context} added, and returns the function's
     * JSON answer (2xx only).
     */
    public JsonNode call(FunctionDefinition function, Map<String, ?> request) throws FunctionException {
        String kind = function.kind == null ? null : function.kind.name();
        Map<String, Object> body = new LinkedHashMap<>(request);
        body.put("context", context());
        try {
            JsonNode answer = exchange(function, body);
            AppUsersMetrics.functionCall(session.getContext().getRealm(), kind, AppUsersMetrics.SUCCESS);
            return answer;
        } catch (FunctionException e) {
            AppUsersMetrics.functionCall(session.getContext().getRealm(), kind, e.refused() ? "refused" : e.error());
            throw e;
        }
    }

    /**
     * Who is asking, so a function can apply its own policy: the realm, the OAuth client of the
     * request (the authenticated client of a grant, the token's client of a bearer call; null on
     * the email/password endpoints, which have none) and the client's address as Keycloak sees it.
     */
    private ObjectNode context() {
        KeycloakContext context = session.getContext();
        ObjectNode node = JsonSerialization.mapper.createObjectNode();
        node.put("realm", context.getRealm() == null ? null : context.getRealm().getName());
        node.put("client_id", context.getClient() == null ? null : context.getClient().getClientId());
        node.put("client_address", ClientAddress.of(session));
        return node;
    }

    private JsonNode exchange(FunctionDefinition function, Object request) throws FunctionException {
        byte[] body;
        try {
            body = JsonSerialization.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String secret = new FunctionRegistry(session, session.getContext().getRealm()).signingSecret(function)
                .orElseThrow(() -> FunctionException.failed(function, "has no secret (or its vault entry is missing)"));
        HttpPost post = new HttpPost(function.url);
        int timeout = function.timeoutMs;
        post.setConfig(RequestConfig.custom().setConnectTimeout(timeout).setConnectionRequestTimeout(timeout)
                .setSocketTimeout(timeout).setRedirectsEnabled(false).build());
        post.setHeader(FunctionSignature.HEADER, FunctionSignature.header(secret, Time.currentTime(), body));
        post.setHeader("Accept", "application/json");
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));

        // The socket timeout bounds each read; this bounds the whole exchange (a slow drip too).
        AtomicBoolean aborted = new AtomicBoolean();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            aborted.set(true);
            post.abort();
        }, timeout, TimeUnit.MILLISECONDS);
        try (CloseableHttpResponse response = session.getProvider(HttpClientProvider.class).getHttpClient().execute(post)) {
            int status = response.getStatusLine().getStatusCode();
            byte[] answer = readCapped(function, response.getEntity());
            if (status >= 300 && status < 400) {
                throw FunctionException.failed(function, "answered with a redirect (" + status + "), which is not followed");
            }
            if (status >= 400 && status < 500) {
                throw FunctionException.refused(function, "status " + status + errorText(answer));
            }
            if (status < 200 || status >= 300) {
                throw FunctionException.failed(function, "status " + status);
            }
            JsonNode json = parse(function, answer);
            if (json.isObject() && json.hasNonNull("error")) {
                throw FunctionException.refused(function, shorten(json.get("error").asText()));
            }
            return json;
        } catch (FunctionException e) {
            throw e;
        } catch (java.net.SocketTimeoutException | org.apache.http.conn.ConnectTimeoutException e) {
            throw FunctionException.timeout(function);
        } catch (IOException e) {
            if (aborted.get()) {
                throw FunctionException.timeout(function);
            }
            throw FunctionException.failed(function, "could not be reached (" + e.getClass().getSimpleName() + ")");
        } finally {
            watchdog.cancel(false);
        }
    }

    private static byte[] readCapped(FunctionDefinition function, HttpEntity entity) throws IOException, FunctionException {
        if (entity == null) {
            return new byte[0];
        }
        try (InputStream in = entity.getContent()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) != -1) {
                out.write(buffer, 0, read);
                if (out.size() > MAX_ANSWER_BYTES) {
                    throw FunctionException.failed(function, "answer is larger than " + MAX_ANSWER_BYTES + " bytes");
                }
            }
            return out.toByteArray();
        }
    }

    private static JsonNode parse(FunctionDefinition function, byte[] answer) throws FunctionException {
        try {
            JsonNode json = JsonSerialization.mapper.readTree(answer);
            if (json == null || json.isMissingNode()) {
                throw FunctionException.failed(function, "answer is empty");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw FunctionException.failed(function, "answer is not valid JSON");
        } catch (IOException e) {
            throw FunctionException.failed(function, "answer could not be read");
        }
    }

    /** The function's own error text, for the app that wrote it; bounded. */
    private static String errorText(byte[] answer) {
        try {
            JsonNode json = JsonSerialization.mapper.readTree(answer);
            if (json != null && json.hasNonNull("error")) {
                return ": " + shorten(json.get("error").asText());
            }
        } catch (IOException ignored) {
            // no JSON error text; the status says enough
        }
        return "";
    }

    private static String shorten(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        return clean.length() <= 200 ? clean : clean.substring(0, 200) + "...";
    }
}
