package io.jobpipeline.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CallbackPolicyTest {
    /** Names that resolve as a hostile or careless DNS would have them; everything else is unknown. */
    private static final Map<String, String[]> DNS = Map.of(
            "public.example", new String[] {"93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"},
            "internal.example", new String[] {"10.1.2.3"},
            "mixed.example", new String[] {"93.184.216.34", "192.168.0.7"},
            "metadata.example", new String[] {"169.254.169.254"},
            "loopback.example", new String[] {"127.0.0.1", "::1"});
    private static final CallbackPolicy.Resolver RESOLVER = host -> {
        String[] addresses = DNS.get(host);
        if (host.endsWith(".invalid")) {
            throw new UnknownHostException(host);
        }
        if (addresses == null) {
            return InetAddress.getAllByName(host); // IP literals and localhost: no DNS query
        }
        InetAddress[] out = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            out[i] = InetAddress.getByName(addresses[i]);
        }
        return out;
    };
    private static final CallbackPolicy STRICT = new CallbackPolicy(false, RESOLVER);
    private static final CallbackPolicy LOCAL = new CallbackPolicy(true, RESOLVER);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://127.0.0.1:8080/hook            | loopback",
            "http://127.8.9.10/hook                | loopback",
            "http://[::1]/hook                     | loopback",
            "http://localhost/hook                 | loopback",
            "http://0.0.0.0/hook                   | unspecified",
            "http://[::]/hook                      | unspecified",
            "http://10.0.0.1/hook                  | private",
            "http://172.31.255.1/hook              | private",
            "http://192.168.1.1/hook               | private",
            "http://100.64.0.1/hook                | carrier-grade NAT",
            "http://169.254.169.254/latest/        | instance metadata (link-local)",
            "http://169.254.1.1/                   | link-local",
            "http://[fd00:ec2::254]/latest/        | instance metadata (unique-local)",
            "http://[fd12:3456::1]/                | unique-local",
            "http://[fe80::1]/                     | link-local",
            "http://[fec0::1]/                     | site-local",
            "http://[ff02::1]/                     | multicast",
            "http://224.0.0.1/                     | multicast",
            "http://255.255.255.255/               | reserved",
            "http://198.18.0.1/                    | benchmarking",
            "http://[::ffff:127.0.0.1]/hook        | loopback",
            "http://[::ffff:10.0.0.1]/hook         | private",
            "http://[::ffff:169.254.169.254]/      | instance metadata",
            "http://[::ffff:a9fe:a9fe]/            | instance metadata",
            "http://[::a9fe:a9fe]/                 | instance metadata (link-local), embedded in IPv6",
            "http://[64:ff9b::a9fe:a9fe]/          | instance metadata (link-local), embedded in IPv6",
            "http://[64:ff9b::0a00:0001]/          | private, embedded in IPv6",
            "http://[2002:a9fe:a9fe::1]/           | instance metadata (link-local), embedded in IPv6",
            "http://internal.example/hook          | resolves to a private address (10.1.2.3)",
            "http://mixed.example/hook             | resolves to a private address (192.168.0.7)",
            "https://metadata.example/             | instance metadata",
            "http://nowhere.invalid/hook           | does not resolve",
            "ftp://public.example/hook             | not an http(s) URL",
            "file:///etc/passwd                    | not an http(s) URL",
            "http:/just-a-path                     | not an http(s) URL"})
    void refusesWhatIsNotPublic(String url, String why) {
        assertThat(STRICT.refusal(URI.create(url))).isNotNull().contains(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://public.example/hooks/jobs", "http://93.184.216.34:8443/x", "https://[2606:4700::1111]/"})
    void letsPublicAddressesThrough(String url) {
        assertThat(STRICT.refusal(URI.create(url))).isNull();
    }

    @Test
    void theLocalStackMayCallLoopbackButNothingElsePrivate() {
        assertThat(LOCAL.refusal(URI.create("http://127.0.0.1:9000/hooks"))).isNull();
        assertThat(LOCAL.refusal(URI.create("http://[::1]:9000/hooks"))).isNull();
        assertThat(LOCAL.refusal(URI.create("http://loopback.example/hooks"))).isNull();
        assertThat(LOCAL.refusal(URI.create("http://[::ffff:127.0.0.1]:9000/hooks"))).isNull();
        assertThat(LOCAL.refusal(URI.create("http://10.0.0.1/hooks"))).contains("private");
        assertThat(LOCAL.refusal(URI.create("http://169.254.169.254/latest/"))).contains("instance metadata");
        assertThat(LOCAL.refusal(URI.create("http://[fd00:ec2::254]/latest/"))).contains("instance metadata");
    }

    @Test
    void javaHandsIpv4MappedAddressesOverAsIpv4() throws UnknownHostException {
        // Why ::ffff:a.b.c.d needs no IPv6 rule of its own in practice; nonPublic covers the IPv6 form anyway.
        assertThat(InetAddress.getByName("::ffff:169.254.169.254").getAddress()).hasSize(4);
    }
}
