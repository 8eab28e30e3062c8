package io.github.appusers.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

/** A real SMTP server (GreenMail) in the test JVM; realms point their SMTP settings at it. */
public final class Mailbox implements AutoCloseable {

    private static final Pattern LINK = Pattern.compile("https?://[^\\s\"'<>]+token_id=[A-Za-z0-9-]+");
    /** Keycloak's own action-token links (its forgot-password and verify-email mails). */
    private static final Pattern ACTION_TOKEN_LINK = Pattern.compile("https?://[^\\s\"'<>]+/login-actions/action-token\\?[^\\s\"'<>]+");

    private final GreenMail greenMail;
    private final int port;

    public Mailbox() throws Exception {
        port = KeycloakServer.freePort();
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    /** The realm's smtpServer settings for this mailbox. */
    public java.util.Map<String, Object> smtpSettings() {
        return AdminApi.map("host", "127.0.0.1", "port", String.valueOf(port), "from", "noreply@app-users.test",
                "auth", "false", "ssl", "false", "starttls", "false");
    }

    /** Messages received so far for this address. */
    public List<MimeMessage> to(String address) {
        List<MimeMessage> messages = new ArrayList<>();
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            try {
                for (var recipient : message.getRecipients(Message.RecipientType.TO)) {
                    if (recipient.toString().equalsIgnoreCase(address)) {
                        messages.add(message);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return messages;
    }

    /**
     * Waits (bounded) until {@code count} messages reached the address; returns them (all of them,
     * so a caller sees an extra one that came along).
     */
    public List<MimeMessage> await(String address, int count) throws InterruptedException {
        Duration limit = Duration.ofSeconds(20);
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            List<MimeMessage> messages = to(address);
            if (messages.size() >= count) {
                return messages;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + count + " message(s) for " + address + " within " + limit.toSeconds()
                + " s, got " + to(address).size());
    }

    /** The confirmation or reset link of a message. */
    public static String link(MimeMessage message) {
        return find(LINK, message);
    }

    /** The link of a mail Keycloak itself sent (forgot password, verify email). */
    public static String actionTokenLink(MimeMessage message) {
        return find(ACTION_TOKEN_LINK, message);
    }

    private static String find(Pattern link, MimeMessage message) {
        // quoted-printable soft line breaks split long links; join them before matching
        String body = GreenMailUtil.getBody(message).replace("=\r\n", "").replace("=\n", "").replace("=3D", "=")
                .replace("&amp;", "&");
        Matcher matcher = link.matcher(body);
        if (!matcher.find()) {
            throw new AssertionError("no link in: " + body);
        }
        return matcher.group();
    }

    /** A query parameter of a link. */
    public static String param(String link, String name) {
        Matcher matcher = Pattern.compile("[?&]" + name + "=([^&]+)").matcher(link);
        if (!matcher.find()) {
            throw new AssertionError("no " + name + " in " + link);
        }
        return java.net.URLDecoder.decode(matcher.group(1), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
