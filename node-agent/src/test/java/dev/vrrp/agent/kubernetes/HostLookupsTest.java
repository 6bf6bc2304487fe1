package dev.vrrp.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostLookupsTest {
  @Test
  void theConnectedSubnetWinsOverTheDefaultRoute() throws Exception {
    String routes =
        """
        [{"dst":"default","gateway":"192.0.2.1","dev":"eth0","flags":[]},
         {"dst":"192.0.2.0/24","dev":"eth1","protocol":"kernel","scope":"link","prefsrc":"192.0.2.11","flags":[]}]""";
    assertThat(HostLookups.mostSpecificDevice(routes)).contains("eth1");
  }

  @Test
  void ipv6HostRoutesAndPrefixesAreCompared() throws Exception {
    String routes =
        """
        [{"dst":"2001:db8::/64","dev":"eth0","metric":256,"flags":[]},
         {"dst":"2001:db8::100","dev":"vlan7","metric":1024,"flags":[]},
         {"dst":"default","gateway":"2001:db8::1","dev":"eth0","metric":1024,"flags":[]}]""";
    assertThat(HostLookups.mostSpecificDevice(routes)).contains("vlan7");
  }

  @Test
  void noRouteMeansNoInterface() throws Exception {
    assertThat(HostLookups.mostSpecificDevice("[]")).isEmpty();
    assertThat(HostLookups.mostSpecificDevice("[{\"dst\":\"default\",\"type\":\"unreachable\"}]"))
        .isEmpty();
  }
}
