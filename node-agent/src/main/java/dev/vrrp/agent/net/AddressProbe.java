package dev.vrrp.agent.net;

import dev.vrrp.api.text.IpLiteral;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * Asks the segment whether other hosts answer for addresses, before the first master of a VirtualIP
 * takes them (RFC 5227 address conflict detection for IPv4, RFC 4862 duplicate address detection
 * for IPv6, bounded to {@link #BUDGET_MILLIS} for any number of addresses). Taking an address
 * another host uses would break both; the answer is reported instead (FAULT, AddressInUse).
 */
public interface AddressProbe {
  /** The whole probe: three probes 100 ms apart, and listening until 300 ms are over. */
  long BUDGET_MILLIS = 300;

  /**
   * Who answered for an address (its MAC), or, with {@code rival}, who probes for it at the same
   * time and wins the tie (RFC 5227 2.1.1 counts a simultaneous probe as a conflict; the higher MAC
   * goes on, so two probers never both give up, nor both take it). Two routers of one VRID that
   * probe at once are the election's to settle, not the MACs' (see the address keeper).
   */
  record InUse(InetAddress address, MacAddress answeredBy, boolean rival) {
    public InUse(InetAddress address, MacAddress answeredBy) {
      this(address, answeredBy, false);
    }

    @Override
    public String toString() {
      return IpLiteral.format(address)
          + " is in use on the segment ("
          + answeredBy
          + (rival ? " probes for it at the same time and goes first)" : " answered for it)");
    }
  }

  /**
   * Probes every address (both families may be mixed) on the interface at once; blocks for {@link
   * #BUDGET_MILLIS}. Returns the addresses another host answered for.
   */
  Map<InetAddress, InUse> probe(
      String interfaceName, MacAddress ownMac, List<InetAddress> addresses) throws IOException;
}
