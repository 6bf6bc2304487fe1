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
    return new InstanceSettings(
        name,
        interfaceName,
        virtualRouterId,
        priority,
        version,
        interval,
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

  public InstanceSettings withPriority(int newPriority) {
    return new InstanceSettings(
        name,
        interfaceName,
        virtualRouterId,
        newPriority,
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

  public InstanceSettings withNameAndAddresses(String newName, List<VirtualAddress> newAddresses) {
    return new InstanceSettings(
        newName,
        interfaceName,
        virtualRouterId,
        priority,
        version,
        advertisementInterval,
        preempt,
        preemptDelay,
        newAddresses,
        password,
        unicastPeers,
        sourceAddress,
        virtualMac,
        v3Checksum,
        acceptBothChecksums,
        announce,
        track);
  }

  /** The family of the addresses (one per instance). */
  public IpFamily family() {
    return addresses.get(0).family();
  }
}
