package io.github.appusers.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The key per-address limits count a client under. */
class ClientAddressTest {

    @ParameterizedTest
    @CsvSource({
            "192.0.2.1, 192.0.2.1",
            "127.0.0.1, 127.0.0.1",
            "010.0.0.1, 10.0.0.1",
            "' 203.0.113.9 ', 203.0.113.9"})
    void anIpv4AddressCountsAsItIs(String address, String key) {
        assertEquals(key, ClientAddress.limitKey(address));
    }

    @Test
    void addressesOfOneIpv6Slash64ShareOneKey() {
        String key = ClientAddress.limitKey("2001:db8:1:2::1");
        assertEquals("2001:db8:1:2:0:0:0:0/64", key);
        assertEquals(key, ClientAddress.limitKey("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assertEquals(key, ClientAddress.limitKey("2001:0db8:0001:0002:1234:5678:9abc:def0"));
        assertEquals(key, ClientAddress.limitKey("[2001:db8:1:2::42]"));
        assertEquals(key, ClientAddress.limitKey("2001:DB8:1:2::A"));
        assertEquals(key, ClientAddress.limitKey("2001:db8:1:2::1%eth0"), "a zone id does not make a new bucket");
        assertEquals(key, ClientAddress.limitKey("2001:db8:1:2::1%no-such-interface9"));
    }

    @Test
    void neighbouringIpv6Slash64sAreCountedApart() {
        assertNotEquals(ClientAddress.limitKey("2001:db8:1:2::1"), ClientAddress.limitKey("2001:db8:1:3::1"));
        assertNotEquals(ClientAddress.limitKey("2001:db8:1:2::1"), ClientAddress.limitKey("2001:db9:1:2::1"));
    }

    @Test
    void ipv6LoopbackIsItsSlash64() {
        assertEquals("0:0:0:0:0:0:0:0/64", ClientAddress.limitKey("::1"));
        assertEquals("0:0:0:0:0:0:0:0/64", ClientAddress.limitKey("0:0:0:0:0:0:0:1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:192.0.2.1", "::FFFF:192.0.2.1", "0:0:0:0:0:ffff:c000:201", "[::ffff:192.0.2.1]"})
    void anIpv4MappedIpv6AddressCountsAsItsIpv4Address(String address) {
        assertEquals("192.0.2.1", ClientAddress.limitKey(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "localhost", "999.1.1.1", "1.2.3", "abc", "not:an:address:zz", "1.2.3.4.5",
            ".:", ":::", "[example.com]"})
    void anythingElseIsKeptAsItIsAndNeverResolved(String address) {
        assertEquals(address, ClientAddress.limitKey(address));
    }

    @Test
    void noAddressIsOneBucket() {
        assertEquals("unknown", ClientAddress.limitKey((String) null));
        assertEquals("unknown", ClientAddress.limitKey(" "));
    }
}
