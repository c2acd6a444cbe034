package io.jobpipeline.notifications;

import io.jobpipeline.core.settings.Environment;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Which callback URLs may be called: never private, link-local (the metadata service lives there) or loopback
 * addresses, unless {@code ALLOW_LOOPBACK_CALLBACKS=true} (the local stack sets it so tests can run a receiver).
 */
record CallbackPolicy(boolean allowLoopback) {
    static CallbackPolicy from(Environment env) {
        return new CallbackPolicy(Boolean.parseBoolean(env.optional("ALLOW_LOOPBACK_CALLBACKS").orElse("false")));
    }

    /** Null when the URL may be called, else why not. */
    String refusal(URI uri) {
        if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http")) || uri.getHost() == null) {
            return "not an http(s) URL";
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (address.isLoopbackAddress() && allowLoopback) {
                    continue;
                }
                if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress() || address.isMulticastAddress() || isUniqueLocal(address)) {
                    return "resolves to a private or local address (" + address.getHostAddress() + ")";
                }
            }
            return null;
        } catch (UnknownHostException e) {
            return "host " + uri.getHost() + " does not resolve";
        }
    }

    private static boolean isUniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }
}
