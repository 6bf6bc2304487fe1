package dev.vrrp.engine;

import dev.vrrp.packet.Advertisement;
import dev.vrrp.packet.AuthType;
import dev.vrrp.packet.IpFamily;
import dev.vrrp.packet.ProtocolLimits;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The RFC 5798 6.1 parameters of one virtual router, as the engine needs them.
 *
 * @param priority configured priority; 255 makes this router the address owner
 * @param primaryAddress this router's own address on the interface: the advertisement source and
 *     the tie-breaker of RFC 5798 6.4.3 when priorities are equal
 * @param password VRRPv2 simple text password, or null for no authentication
 */
public record InstanceConfig(
    int version,
    int virtualRouterId,
    int priority,
    Duration advertisementInterval,
    boolean preempt,
    Duration preemptDelay,
    List<InetAddress> addresses,
    InetAddress primaryAddress,
    String password) {

  public static final int OWNER_PRIORITY = ProtocolLimits.OWNER_PRIORITY;

  public InstanceConfig {
    Objects.requireNonNull(advertisementInterval, "advertisementInterval");
    Objects.requireNonNull(preemptDelay, "preemptDelay");
    Objects.requireNonNull(primaryAddress, "primaryAddress");
    addresses = List.copyOf(addresses);
    if (priority < ProtocolLimits.MIN_PRIORITY || priority > ProtocolLimits.OWNER_PRIORITY) {
      throw new IllegalArgumentException(
          "priority must be "
              + ProtocolLimits.MIN_PRIORITY
              + "-"
              + ProtocolLimits.OWNER_PRIORITY
              + ", got "
              + priority);
    }
    if (preemptDelay.isNegative()) {
      throw new IllegalArgumentException("preemptDelay must not be negative");
    }
    if (password != null && version != 2) {
      throw new IllegalArgumentException("authentication exists in VRRPv2 only");
    }
    if (!addresses.isEmpty() && IpFamily.of(addresses.get(0)) != IpFamily.of(primaryAddress)) {
      throw new IllegalArgumentException("primaryAddress family differs from the addresses");
    }
    // Builds (and so validates) the advertisement this configuration sends.
    advertisement(priority, version, virtualRouterId, advertisementInterval, addresses, password);
  }

  /**
   * Whether a running instance of this version may take another address list: VRRPv3 only. RFC 3768
   * 7.1 makes a v2 backup drop advertisements whose address list differs from its own, so v2
   * routers that changed at different moments would all become master; a v2 instance is restarted
   * instead.
   */
  public static boolean changesAddressesLive(int version) {
    return version == 3;
  }

  /**
   * Whether a running instance may go from one planned priority to the other: not to or from the
   * address owner's 255, which is a fact about owning the addresses (a master at once, no
   * Master_Down wait), not a rank; such an instance is restarted instead.
   */
  public static boolean changesPriorityLive(int from, int to) {
    return from != OWNER_PRIORITY && to != OWNER_PRIORITY;
  }

  public boolean isAddressOwner() {
    return priority == OWNER_PRIORITY;
  }

  public IpFamily family() {
    return IpFamily.of(primaryAddress);
  }

  public AuthType authType() {
    return password == null ? AuthType.NONE : AuthType.SIMPLE_TEXT;
  }

  /** The advertisement this router sends with the given priority and interval. */
  public Advertisement advertisement(int sendPriority, Duration interval) {
    return advertisement(sendPriority, version, virtualRouterId, interval, addresses, password);
  }

  public InstanceConfig withAdvertisementInterval(Duration interval) {
    return new InstanceConfig(
        version,
        virtualRouterId,
        priority,
        interval,
        preempt,
        preemptDelay,
        addresses,
        primaryAddress,
        password);
  }

  public InstanceConfig withAddresses(List<InetAddress> newAddresses) {
    return new InstanceConfig(
        version,
        virtualRouterId,
        priority,
        advertisementInterval,
        preempt,
        preemptDelay,
        newAddresses,
        primaryAddress,
        password);
  }

  private static Advertisement advertisement(
      int priority,
      int version,
      int vrid,
      Duration interval,
      List<InetAddress> addresses,
      String password) {
    int centis = Timers.toCentis(interval);
    if (!Timers.centis(centis).equals(interval)) {
      throw new IllegalArgumentException(
          "advertisementInterval must be a multiple of 10ms, got " + interval);
    }
    if (version == 2) {
      if (centis % 100 != 0) {
        throw new IllegalArgumentException(
            "VRRPv2 advertisementInterval must be whole seconds, got " + interval);
      }
      return Advertisement.v2(vrid, priority, centis / 100, addresses, password);
    }
    return Advertisement.v3(vrid, priority, centis, addresses);
  }
}
