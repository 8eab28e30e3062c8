package io.github.appusers.common;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the extension takes for an email address, wherever one arrives (a registration, a link, a
 * login function's answer): at most 254 characters, a local part of 1 to 64, a domain with a dot,
 * no whitespace or control characters. Addresses are compared lower-cased.
 */
public final class EmailAddresses {

    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_LENGTH = 254;

    private EmailAddresses() {
    }

    public static boolean isValid(String address) {
        return address != null && address.length() <= MAX_LENGTH && ADDRESS.matcher(address).matches()
                && address.chars().noneMatch(Character::isISOControl);
    }

    /** The address as stored and compared: trimmed, lower-cased. */
    public static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
