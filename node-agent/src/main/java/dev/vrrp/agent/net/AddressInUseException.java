package dev.vrrp.agent.net;

import dev.vrrp.api.text.IpLiteral;
import java.io.IOException;
import java.net.InetAddress;

/** An address is on the node already and was not added by the agent: it must not be taken. */
public final class AddressInUseException extends IOException {
  private static final long serialVersionUID = 1L;

  public AddressInUseException(InetAddress address, String interfaceName) {
    super(
        IpLiteral.format(address)
            + " is already on "
            + interfaceName
            + " and was not added by the agent "
            + "(an address of the node itself or of another program): not taking it");
  }
}
