package io.github.appusers.common;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * Where Keycloak may send requests on an admin's word (functions, a JWKS URL): HTTPS, or plain
 * HTTP to a loopback address only (a service on the same machine, as in tests), never with
 * credentials in the URL.
 */
public final class UrlPolicy {

    public static final int MAX_LENGTH = 2048;

    private UrlPolicy() {
    }

    /** Why {@code url} is refused, or null when it is acceptable. */
    public static String problem(String url) {
        if (url == null || url.isEmpty() || url.length() > MAX_LENGTH) {
            return "must be a URL of at most " + MAX_LENGTH + " characters";
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || uri.getUserInfo() != null) {
                return "must be an absolute URL without credentials";
            }
            if ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && isLoopback(uri.getHost())) {
                return null;
            }
            return "must use https (plain http only for loopback addresses)";
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
    }

    /** A loopback IP literal; not a name, which could resolve elsewhere later (even {@code localhost}). */
    public static boolean isLoopback(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
