package io.github.appusers.common;

/**
 * PostgreSQL text cannot hold U+0000 ("invalid byte sequence for encoding UTF8: 0x00"), so a
 * request value with one would end in a database error (500). Our lookups treat such a value as
 * not found and our writes refuse it, before any query.
 */
public final class NulChars {

    private NulChars() {
    }

    public static boolean in(String value) {
        return value != null && value.indexOf('\u0000') >= 0;
    }
}
