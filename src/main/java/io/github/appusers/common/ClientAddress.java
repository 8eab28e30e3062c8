package io.github.appusers.common;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.keycloak.common.ClientConnection;
import org.keycloak.models.KeycloakSession;

/**
 * The client's address as Keycloak sees it, and the key our per-address limits count it under.
 * The address comes only from Keycloak's {@link ClientConnection}, which honours the server's
 * {@code proxy-headers} option; we never read {@code X-Forwarded-For}, {@code Forwarded} or
 * {@code X-Real-IP} ourselves, so a client cannot pick its own bucket by sending them.
 */
public final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /**
     * Hex digits and colons (at least one), maybe an embedded IPv4 tail, a zone id and brackets:
     * text the JDK parses as an IPv6 literal, never as a host name to resolve.
     */
    private static final Pattern IPV6 = Pattern.compile("\\[?([0-9A-Fa-f:][0-9A-Fa-f:.]*)(%[0-9A-Za-z._-]+)?]?");
    private static final String UNKNOWN = "unknown";

    private ClientAddress() {
    }

    /** The address of the request's client as Keycloak reports it (proxy settings applied); null outside a request. */
    public static String of(KeycloakSession session) {
        ClientConnection connection = session.getContext().getConnection();
        String address = connection == null ? null : connection.getRemoteAddr();
        return address == null || address.isBlank() ? null : address;
    }

    /** The per-address limit key of the request's client: see {@link #limitKey(String)}. */
    public static String limitKey(KeycloakSession session) {
        return limitKey(of(session));
    }

    /**
     * The key a per-address limit counts {@code address} under: an IPv4 address as it is, an IPv6
     * address as its /64 prefix (one subscriber usually holds a whole /64, so counting single
     * addresses would let one client use 2^64 buckets), an IPv4-mapped IPv6 address as its IPv4
     * address. Anything that is not an IP literal is kept as it is (it cannot be resolved here).
     */
    public static String limitKey(String address) {
        if (address == null || address.isBlank()) {
            return UNKNOWN;
        }
        String text = address.trim();
        InetAddress parsed = parseLiteral(text);
        if (parsed instanceof Inet4Address) {
            return parsed.getHostAddress();
        }
        if (parsed instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(parsed.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                throw new IllegalStateException("16 bytes are an IPv6 address", e);
            }
        }
        return text;
    }

    /** The address of an IP literal, or null; never a DNS lookup. */
    private static InetAddress parseLiteral(String text) {
        try {
            if (IPV4.matcher(text).matches()) {
                byte[] bytes = new byte[4];
                String[] parts = text.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(parts[i]);
                    if (part > 255) {
                        return null;
                    }
                    bytes[i] = (byte) part;
                }
                return InetAddress.getByAddress(bytes);
            }
            Matcher ipv6 = IPV6.matcher(text);
            if (ipv6.matches() && ipv6.group(1).indexOf(':') >= 0) {
                // The zone id is left out: it names a local interface, which the /64 does not need.
                return InetAddress.getByName("[" + ipv6.group(1) + "]");
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }
}
