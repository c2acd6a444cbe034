package io.jobpipeline.notifications;

import io.jobpipeline.core.settings.Environment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Which callback URLs may be called (server-side request forgery guard): http(s) only, and only hosts all of whose
 * addresses are public. Refused: loopback, unspecified (0.0.0.0/8, ::), private (10/8, 172.16/12, 192.168/16),
 * shared CGNAT (100.64/10), link-local (169.254/16 with the instance metadata service 169.254.169.254, fe80::/10),
 * IETF protocol (192.0.0/24), benchmarking (198.18/15), multicast, reserved (240/4, broadcast), site-local fec0::/10
 * and unique-local fc00::/7 (the IPv6 metadata endpoint fd00:ec2::254 is one). IPv6 forms that carry an IPv4 address
 * are judged by that address: IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96 and 6to4
 * 2002::/16. A DNS name is resolved and refused if any of its addresses is refused.
 *
 * <p>{@code ALLOW_LOOPBACK_CALLBACKS=true} (the local stack sets it, so tests can run a receiver) lets loopback through,
 * and nothing else.
 *
 * <p>DNS rebinding: the JDK HttpClient resolves the host itself and has no per-request resolver hook, and calling the
 * checked IP literal instead breaks TLS (SNI and certificate checks want the name), so the address checked here cannot
 * be handed to the connection. What narrows the window is that both resolve through the JVM's address cache
 * ({@code networkaddress.cache.ttl}, 30 s by default): the connection, made right after the check, gets the addresses
 * that were checked unless the cache entry expires in between. Redirects are never followed.
 */
record CallbackPolicy(boolean allowLoopback, Resolver resolver) {
    /** Name resolution, replaceable in tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    CallbackPolicy(boolean allowLoopback) {
        this(allowLoopback, InetAddress::getAllByName);
    }

    static CallbackPolicy from(Environment env) {
        return new CallbackPolicy(Boolean.parseBoolean(env.optional("ALLOW_LOOPBACK_CALLBACKS").orElse("false")));
    }

    /** Null when the URL may be called, else why not. */
    String refusal(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getHost().isBlank()) {
            return "not an http(s) URL with a host";
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(uri.getHost());
        } catch (UnknownHostException e) {
            return "host " + uri.getHost() + " does not resolve";
        }
        if (addresses == null || addresses.length == 0) {
            return "host " + uri.getHost() + " does not resolve";
        }
        for (InetAddress address : addresses) {
            String kind = nonPublic(address);
            if (kind == null || (allowLoopback && kind.equals(LOOPBACK))) {
                continue;
            }
            return uri.getHost() + " resolves to a " + kind + " address (" + address.getHostAddress() + ")";
        }
        return null;
    }

    static final String LOOPBACK = "loopback";

    /** What kind of non-public address this is, or null for a public one. */
    static String nonPublic(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? nonPublicV4(b) : nonPublicV6(b);
    }

    private static String nonPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        int a3 = b[3] & 0xff;
        if (a0 == 127) {
            return LOOPBACK;
        }
        if (a0 == 169 && a1 == 254) {
            return a2 == 169 && a3 == 254 ? "instance metadata (link-local)" : "link-local";
        }
        if (a0 == 0) {
            return "unspecified (this-network)";
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return "private";
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "shared (carrier-grade NAT)";
        }
        if (a0 == 192 && a1 == 0 && a2 == 0) {
            return "IETF protocol assignment";
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return "benchmarking";
        }
        if (a0 >= 224 && a0 <= 239) {
            return "multicast";
        }
        if (a0 >= 240) {
            return "reserved";
        }
        return null;
    }

    private static String nonPublicV6(byte[] b) {
        if (isZero(b, 0, 15) && b[15] == 1) {
            return LOOPBACK;
        }
        if (isZero(b, 0, 16)) {
            return "unspecified";
        }
        // IPv4-mapped ::ffff:0:0/96 (Java usually hands these over as Inet4Address already) and IPv4-compatible ::/96.
        if (isZero(b, 0, 10) && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
            return embedded(b, 12);
        }
        // NAT64 well-known prefix 64:ff9b::/96: a NAT64 gateway forwards to the embedded IPv4 address.
        if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && isZero(b, 4, 12)) {
            return embedded(b, 12);
        }
        // 6to4 2002::/16 carries the IPv4 address in bits 16..47.
        if (b[0] == 0x20 && b[1] == 0x02) {
            return embedded(b, 2);
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return "link-local";
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return "site-local";
        }
        if ((first & 0xfe) == 0xfc) {
            return isEc2Metadata(b) ? "instance metadata (unique-local)" : "unique-local (private)";
        }
        if (first == 0xff) {
            return "multicast";
        }
        return null;
    }

    private static String embedded(byte[] b, int offset) {
        byte[] v4 = Arrays.copyOfRange(b, offset, offset + 4);
        try {
            String kind = nonPublicV4(Inet4Address.getByAddress(v4).getAddress());
            return kind == null ? null : kind + ", embedded in IPv6";
        } catch (UnknownHostException e) {
            return "malformed";
        }
    }

    /** fd00:ec2::254. */
    private static boolean isEc2Metadata(byte[] b) {
        return (b[0] & 0xff) == 0xfd && b[1] == 0 && (b[2] & 0xff) == 0x0e && (b[3] & 0xff) == 0xc2
                && isZero(b, 4, 14) && b[14] == 0x02 && (b[15] & 0xff) == 0x54;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
