package dev.vrrp.agent.net;

import dev.vrrp.packet.Advertisement;
import java.io.IOException;

/** Puts one instance's advertisements on the wire: multicast through pcap, or unicast to peers. */
public interface AdvertisementSender {
  void send(Advertisement advertisement) throws IOException;
}
