package io.github.appusers.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A small HTTP client for the tests (JDK HttpClient + Jackson): what an app would send. */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final String baseUrl;

    public Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public ApiResponse get(String path, String bearer) {
        return send("GET", path, bearer, null, null);
    }

    public ApiResponse delete(String path, String bearer) {
        return send("DELETE", path, bearer, null, null);
    }

    public ApiResponse postJson(String path, String bearer, Object body) {
        return send("POST", path, bearer, "application/json", toJson(body));
    }

    public ApiResponse putJson(String path, String bearer, Object body) {
        return send("PUT", path, bearer, "application/json", toJson(body));
    }

    public ApiResponse postForm(String path, String bearer, Map<String, String> form) {
        return postForm(path, bearer, form, Map.of());
    }

    /** A form POST with more request headers (e.g. forged forwarding headers). */
    public ApiResponse postForm(String path, String bearer, Map<String, String> form, Map<String, String> headers) {
        String encoded = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send("POST", path, bearer, "application/x-www-form-urlencoded", encoded, headers);
    }

    /** Sends a raw body (broken JSON, huge bodies...) exactly as given. */
    public ApiResponse send(String method, String path, String bearer, String contentType, String body) {
        return send(method, path, bearer, contentType, body, Map.of());
    }

    public ApiResponse send(String method, String path, String bearer, String contentType, String body,
            Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ApiResponse(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String toJson(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A form from alternating keys and values. */
    public static Map<String, String> form(String... keysAndValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            form.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return form;
    }
}
