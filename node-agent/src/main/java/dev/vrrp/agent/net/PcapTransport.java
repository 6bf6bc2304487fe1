package dev.vrrp.agent.net;

import java.io.IOException;
import java.util.function.Consumer;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.PcapDirection;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.RawPacketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VRRP frames in and any frame out on one interface, through libpcap. Receiving uses its own handle
 * (inbound only, filtered to IP protocol 112 in the kernel) and thread; sending uses a second
 * handle that captures nothing, so a busy receiver never delays an advertisement.
 */
public final class PcapTransport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PcapTransport.class);

  /** BPF that matches VRRP over IPv4 and IPv6, tagged or not. */
  public static final String VRRP_FILTER =
      "ip proto 112 or ip6 proto 112 or (vlan and (ip proto 112 or ip6 proto 112))";

  private static final int POLL_MILLIS = 50;
  // a second of a 20,000 frames/s flood, so a burst of junk does not crowd out an advertisement
  private static final int CAPTURE_BUFFER_BYTES = 8 << 20;

  private final String interfaceName;
  private final PcapHandle receiver;
  private final PcapHandle sender;
  private final Thread thread;
  private volatile boolean closed;

  private PcapTransport(
      String interfaceName, PcapHandle receiver, PcapHandle sender, Consumer<byte[]> frames) {
    this.interfaceName = interfaceName;
    this.receiver = receiver;
    this.sender = sender;
    this.thread = new Thread(() -> receiveLoop(frames), "pcap-" + interfaceName);
    this.thread.setDaemon(true);
  }

  /**
   * Opens the interface; {@code frames} gets every inbound VRRP frame on the receive thread.
   *
   * @param filter a BPF expression, normally {@link #VRRP_FILTER}
   */
  public static PcapTransport open(String interfaceName, String filter, Consumer<byte[]> frames)
      throws IOException {
    PcapHandle receiver = null;
    try {
      receiver = handle(interfaceName);
      receiver.setDirection(PcapDirection.IN);
      receiver.setFilter(filter, BpfCompileMode.OPTIMIZE);
      PcapHandle sender = handle(interfaceName);
      sender.setFilter("less 1", BpfCompileMode.OPTIMIZE);
      PcapTransport transport = new PcapTransport(interfaceName, receiver, sender, frames);
      transport.thread.start();
      return transport;
    } catch (PcapNativeException | NotOpenException e) {
      if (receiver != null) {
        receiver.close();
      }
      throw new IOException("cannot open " + interfaceName + " with libpcap: " + e.getMessage(), e);
    }
  }

  private static PcapHandle handle(String interfaceName) throws PcapNativeException {
    return new PcapHandle.Builder(interfaceName)
        .snaplen(2048)
        .bufferSize(CAPTURE_BUFFER_BYTES)
        .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
        .timeoutMillis(POLL_MILLIS)
        .immediateMode(true)
        .build();
  }

  /**
   * Frames the kernel dropped before the agent could read them (its capture buffer was full), since
   * the interface was opened; -1 when libpcap cannot say.
   */
  public long kernelDrops() {
    try {
      return receiver.getStats().getNumPacketsDropped();
    } catch (PcapNativeException | NotOpenException e) {
      return -1;
    }
  }

  public void send(byte[] frame) throws IOException {
    try {
      sender.sendPacket(frame);
    } catch (PcapNativeException | NotOpenException e) {
      throw new IOException("send on " + interfaceName + " failed: " + e.getMessage(), e);
    }
  }

  // pcap_loop, not pcap_next: with immediate mode pcap_next can block with no traffic, while
  // pcap_breakloop wakes pcap_loop (libpcap >= 1.10) so close() never hangs.
  private void receiveLoop(Consumer<byte[]> frames) {
    RawPacketListener listener =
        frame -> {
          try {
            frames.accept(frame);
          } catch (RuntimeException e) {
            LOG.warn(
                "{}: dropped a frame the handler could not take: {}", interfaceName, e.toString());
          }
        };
    while (!closed) {
      try {
        receiver.loop(-1, listener);
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
      } catch (NotOpenException e) {
        return;
      } catch (PcapNativeException e) {
        LOG.error("{}: capture failed: {}", interfaceName, e.getMessage());
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      receiver.breakLoop();
      thread.join(POLL_MILLIS * 10L);
    } catch (NotOpenException e) {
      // already closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!thread.isAlive()) {
      receiver.close();
    }
    sender.close();
  }
}
