package dev.vrrp.agent.config;

import dev.vrrp.api.text.VirtualAddress;
import dev.vrrp.packet.IpFamily;
import dev.vrrp.packet.V3Checksum;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * One VRRP instance as configured. Addresses keep the prefix length the user gave, or null when
 * none was given (the agent then takes the interface subnet's).
 */
public record InstanceSettings(
    String name,
    String interfaceName,
    int virtualRouterId,
    int priority,
    int version,
    Duration advertisementInterval,
    boolean preempt,
    Duration preemptDelay,
    List<VirtualAddress> addresses,
    String password,
    List<InetAddress> unicastPeers,
    InetAddress sourceAddress,
    boolean virtualMac,
    V3Checksum v3Checksum,
    boolean acceptBothChecksums,
    AnnounceSettings announce,
    List<CheckSettings> track) {

  public InstanceSettings withAdvertisementInterval(Duration interval) {
    return toBuilder().advertisementInterval(interval).build();
  }

  public InstanceSettings withPriority(int newPriority) {
    return toBuilder().priority(newPriority).build();
  }

  public InstanceSettings withNameAndAddresses(String newName, List<VirtualAddress> newAddresses) {
    return toBuilder().name(newName).addresses(newAddresses).build();
  }

  /**
   * Settings field by field. What only the standalone config can set (unicast peers, source
   * address, virtual MAC, checksum style, announcements, checks) starts at its default, owned here;
   * the rest must be set.
   */
  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return builder()
        .name(name)
        .interfaceName(interfaceName)
        .virtualRouterId(virtualRouterId)
        .priority(priority)
        .version(version)
        .advertisementInterval(advertisementInterval)
        .preempt(preempt)
        .preemptDelay(preemptDelay)
        .addresses(addresses)
        .password(password)
        .unicastPeers(unicastPeers)
        .sourceAddress(sourceAddress)
        .virtualMac(virtualMac)
        .v3Checksum(v3Checksum)
        .acceptBothChecksums(acceptBothChecksums)
        .announce(announce)
        .track(track);
  }

  /** See {@link InstanceSettings#builder()}. */
  public static final class Builder {
    private String name;
    private String interfaceName;
    private int virtualRouterId;
    private int priority;
    private int version;
    private Duration advertisementInterval;
    private boolean preempt;
    private Duration preemptDelay;
    private List<VirtualAddress> addresses;
    private String password;
    private List<InetAddress> unicastPeers = List.of();
    private InetAddress sourceAddress;
    private boolean virtualMac;
    private V3Checksum v3Checksum = V3Checksum.PSEUDO_HEADER;
    private boolean acceptBothChecksums = true;
    private AnnounceSettings announce = AnnounceSettings.DEFAULT;
    private List<CheckSettings> track = List.of();

    private Builder() {}

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder interfaceName(String interfaceName) {
      this.interfaceName = interfaceName;
      return this;
    }

    public Builder virtualRouterId(int virtualRouterId) {
      this.virtualRouterId = virtualRouterId;
      return this;
    }

    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    public Builder version(int version) {
      this.version = version;
      return this;
    }

    public Builder advertisementInterval(Duration advertisementInterval) {
      this.advertisementInterval = advertisementInterval;
      return this;
    }

    public Builder preempt(boolean preempt) {
      this.preempt = preempt;
      return this;
    }

    public Builder preemptDelay(Duration preemptDelay) {
      this.preemptDelay = preemptDelay;
      return this;
    }

    public Builder addresses(List<VirtualAddress> addresses) {
      this.addresses = addresses;
      return this;
    }

    public Builder password(String password) {
      this.password = password;
      return this;
    }

    public Builder unicastPeers(List<InetAddress> unicastPeers) {
      this.unicastPeers = unicastPeers;
      return this;
    }

    public Builder sourceAddress(InetAddress sourceAddress) {
      this.sourceAddress = sourceAddress;
      return this;
    }

    public Builder virtualMac(boolean virtualMac) {
      this.virtualMac = virtualMac;
      return this;
    }

    public Builder v3Checksum(V3Checksum v3Checksum) {
      this.v3Checksum = v3Checksum;
      return this;
    }

    public Builder acceptBothChecksums(boolean acceptBothChecksums) {
      this.acceptBothChecksums = acceptBothChecksums;
      return this;
    }

    public Builder announce(AnnounceSettings announce) {
      this.announce = announce;
      return this;
    }

    public Builder track(List<CheckSettings> track) {
      this.track = track;
      return this;
    }

    public InstanceSettings build() {
      return new InstanceSettings(
          name,
          interfaceName,
          virtualRouterId,
          priority,
          version,
          advertisementInterval,
          preempt,
          preemptDelay,
          addresses,
          password,
          unicastPeers,
          sourceAddress,
          virtualMac,
          v3Checksum,
          acceptBothChecksums,
          announce,
          track);
    }
  }

  /** The family of the addresses (one per instance). */
  public IpFamily family() {
    return addresses.get(0).family();
  }
}
