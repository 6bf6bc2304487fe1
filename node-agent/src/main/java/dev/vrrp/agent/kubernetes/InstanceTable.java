package dev.vrrp.agent.kubernetes;

import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.engine.InstanceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which VRRP instances this node runs for which VirtualIPs, and the few operations a changed
 * decision needs. Only the instances that a change touched are looked at: with 1000 VirtualIPs the
 * agent hears thousands of status updates, and a full pass over everything per update was most of
 * its CPU. A VirtualIP joining or leaving a shared VRID changes the running instance's addresses
 * live (VRRPv3) instead of restarting it, which would fail over every VirtualIP in it.
 *
 * <p>Pure bookkeeping, no I/O; the agent's worker thread owns it.
 */
final class InstanceTable {

  /** What the agent has to do. */
  sealed interface Operation {}

  /**
   * An operation that leaves an instance running with these settings for these VirtualIPs: when it
   * fails, they are the ones that say why.
   */
  sealed interface OfInstance extends Operation {
    InstanceSettings settings();

    List<String> virtualIps();
  }

  record Start(InstanceSettings settings, List<String> virtualIps) implements OfInstance {}

  record Stop(String instance) implements Operation {}

  record ChangeInterval(String instance, Duration interval) implements Operation {}

  /**
   * Live (VRRPv3 only: {@link InstanceConfig#changesAddressesLive}). {@code joined}: the VirtualIPs
   * it did not serve before, whose entries are due now.
   */
  record ChangeAddresses(InstanceSettings settings, List<String> virtualIps, List<String> joined)
      implements OfInstance {}

  /**
   * Stop the running instance of this name, start it with {@code settings}; {@code why} for the
   * log.
   */
  record Restart(InstanceSettings settings, List<String> virtualIps, String why)
      implements OfInstance {}

  /**
   * Another planned priority, live: a master re-advertises with it (a higher backup with preemption
   * takes over), a backup uses it from its next advertisement on. Restarting instead would make a
   * master resign and leave the address unheld until it claims again. Not to or from the address
   * owner's 255 ({@link InstanceConfig#changesPriorityLive}): that is a restart.
   */
  record ChangePriority(InstanceSettings settings, List<String> virtualIps) implements OfInstance {}

  /** The VirtualIP cannot run here, and why. */
  record Fault(String virtualIp, Reason code, String problem) implements Operation {}

  /** This node served the VirtualIP and no longer does (it released the addresses). */
  record Release(String virtualIp) implements Operation {}

  private record Running(InstanceSettings settings, List<String> virtualIps) {}

  private final Map<String, SortedMap<String, InstanceSettings>> members = new HashMap<>();
  private final Map<String, String> keyOf = new HashMap<>();
  private final Map<String, Running> running = new HashMap<>();
  private final Map<String, String> keyOfInstance = new HashMap<>();
  private final Set<String> touched = new TreeSet<>();

  /** In {@link #touched}: the faults changed. */
  private static final String FAULTS = "";

  private final Set<String> released = new TreeSet<>();
  private final Set<String> gone = new HashSet<>();
  // VirtualIPs this node cannot run although they are planned here, and why (a FAULT entry each)
  private final Map<String, Fault> faults = new HashMap<>();
  private final Map<String, Fault> faultsReported = new HashMap<>();
  // VirtualIPs of a group that cannot share one instance, by group key
  private final Map<String, Map<String, Fault>> groupFaults = new HashMap<>();

  /** The VirtualIP should run here with these settings. */
  void serve(String virtualIp, InstanceSettings settings) {
    gone.remove(virtualIp);
    faults.remove(virtualIp);
    String key = SharedInstances.key(settings);
    String before = keyOf.put(virtualIp, key);
    if (before != null && !before.equals(key)) {
      leave(before, virtualIp);
    }
    InstanceSettings previous =
        members.computeIfAbsent(key, k -> new TreeMap<>()).put(virtualIp, settings);
    if (!settings.equals(previous)) {
      touched.add(key);
    }
  }

  /** The VirtualIP should not run here (not selected, no plan yet, invalid, being deleted). */
  void drop(String virtualIp) {
    String before = keyOf.remove(virtualIp);
    if (before != null) {
      leave(before, virtualIp);
    }
    if (faults.remove(virtualIp) != null) {
      touched.add(FAULTS);
    }
  }

  /**
   * The VirtualIP is planned here but cannot run (a spec only the agent can judge, a Secret, a
   * missing interface, an address a node owns...): stop serving it, and say why.
   */
  void fault(String virtualIp, Reason code, String reason) {
    String before = keyOf.remove(virtualIp);
    if (before != null) {
      leave(before, virtualIp);
    }
    gone.remove(virtualIp);
    faults.put(virtualIp, new Fault(virtualIp, code, reason));
    touched.add(FAULTS);
  }

  /**
   * VirtualIPs planned here that cannot run, with the reason: their FAULT entries are kept fresh.
   */
  Map<String, Fault> faults() {
    Map<String, Fault> all = new TreeMap<>(faults);
    groupFaults.values().forEach(all::putAll);
    return all;
  }

  /** The VirtualIP is gone: stop serving it and say nothing more about it. */
  void forget(String virtualIp) {
    drop(virtualIp);
    released.remove(virtualIp);
    faultsReported.remove(virtualIp);
    gone.add(virtualIp);
  }

  private void leave(String key, String virtualIp) {
    SortedMap<String, InstanceSettings> group = members.get(key);
    if (group != null && group.remove(virtualIp) != null) {
      touched.add(key);
    }
  }

  /**
   * The operations that bring the running instances in line with every change since the last call.
   */
  List<Operation> plan() {
    List<Operation> operations = new ArrayList<>();
    Set<String> servedBefore = new TreeSet<>();
    Set<String> faulted = new HashSet<>();
    if (touched.remove(FAULTS)) {
      // a VirtualIP that had a FAULT entry and is no longer planned here says RELEASED instead
      for (String vip : Set.copyOf(faultsReported.keySet())) {
        if (!faults.containsKey(vip)) {
          faultsReported.remove(vip);
          servedBefore.add(vip);
        }
      }
    }
    for (Map.Entry<String, Fault> fault : new TreeMap<>(faults).entrySet()) {
      if (!fault.getValue().equals(faultsReported.put(fault.getKey(), fault.getValue()))) {
        operations.add(fault.getValue());
      }
      faulted.add(fault.getKey());
    }
    for (String key : touched) {
      Running current = running.get(key);
      if (current != null) {
        servedBefore.addAll(current.virtualIps());
      }
      groupFaults.remove(key);
      SortedMap<String, InstanceSettings> group = members.get(key);
      if (group == null || group.isEmpty()) {
        members.remove(key);
        stop(key, current, operations);
        continue;
      }
      String name = current != null ? current.settings().name() : SharedInstances.nameFor(group);
      SharedInstances.Group wanted = SharedInstances.of(group, name);
      if (wanted.problem() != null) {
        stop(key, current, operations);
        Map<String, Fault> groupFault = new TreeMap<>();
        wanted
            .virtualIps()
            .forEach(
                vip -> {
                  Fault fault = new Fault(vip, Reason.SHARED_SETTINGS_DIFFER, wanted.problem());
                  operations.add(fault);
                  groupFault.put(vip, fault);
                });
        groupFaults.put(key, groupFault);
        faulted.addAll(wanted.virtualIps());
        continue;
      }
      InstanceSettings settings = wanted.settings();
      if (current == null) {
        operations.add(new Start(settings, wanted.virtualIps()));
      } else if (InstancePlan.onlyIntervalDiffers(settings, current.settings())) {
        operations.add(new ChangeInterval(name, settings.advertisementInterval()));
      } else if (onlyAddressesDiffer(settings, current.settings())) {
        if (InstanceConfig.changesAddressesLive(settings.version())) {
          List<String> joined = new ArrayList<>(wanted.virtualIps());
          joined.removeAll(current.virtualIps());
          operations.add(new ChangeAddresses(settings, wanted.virtualIps(), List.copyOf(joined)));
        } else {
          operations.add(
              new Restart(
                  settings,
                  wanted.virtualIps(),
                  "VRRPv2 cannot change its addresses live (RFC 3768 7.1)"));
        }
      } else if (InstancePlan.onlyPriorityDiffers(settings, current.settings())) {
        if (InstanceConfig.changesPriorityLive(
            current.settings().priority(), settings.priority())) {
          operations.add(new ChangePriority(settings, wanted.virtualIps()));
        } else {
          operations.add(
              new Restart(
                  settings,
                  wanted.virtualIps(),
                  "the address owner's priority 255 cannot change live"));
        }
      } else if (!settings.equals(current.settings())) {
        operations.add(new Restart(settings, wanted.virtualIps(), "configuration changed"));
      }
      running.put(key, new Running(settings, wanted.virtualIps()));
      keyOfInstance.put(name, key);
    }
    touched.clear();
    for (String vip : servedBefore) {
      if (!served(vip) && !faulted.contains(vip) && !gone.contains(vip) && released.add(vip)) {
        operations.add(new Release(vip));
      }
    }
    released.removeIf(this::served);
    gone.clear();
    return operations;
  }

  private void stop(String key, Running current, List<Operation> operations) {
    if (current != null) {
      operations.add(new Stop(current.settings().name()));
      running.remove(key);
      keyOfInstance.remove(current.settings().name());
    }
  }

  /**
   * An operation on this instance failed: it does not run; the next {@link #plan()} tries again.
   */
  void failed(String instance) {
    String key = keyOfInstance.remove(instance);
    if (key != null) {
      running.remove(key);
      touched.add(key);
    }
  }

  private boolean served(String virtualIp) {
    String key = keyOf.get(virtualIp);
    Running instance = key == null ? null : running.get(key);
    return instance != null && instance.virtualIps().contains(virtualIp);
  }

  /** The instance that serves the VirtualIP, or null when none runs for it. */
  String instanceOf(String virtualIp) {
    String key = keyOf.get(virtualIp);
    Running instance = key == null ? null : running.get(key);
    return instance != null && instance.virtualIps().contains(virtualIp)
        ? instance.settings().name()
        : null;
  }

  /** The VirtualIPs an instance serves (empty when it does not run). */
  List<String> virtualIpsOf(String instance) {
    String key = keyOfInstance.get(instance);
    Running instanceRunning = key == null ? null : running.get(key);
    return instanceRunning == null ? List.of() : instanceRunning.virtualIps();
  }

  Set<String> instances() {
    return Set.copyOf(keyOfInstance.keySet());
  }

  /** VirtualIPs this node released and that still exist: their RELEASED entries are kept fresh. */
  Set<String> released() {
    return Set.copyOf(released);
  }

  static boolean onlyAddressesDiffer(InstanceSettings a, InstanceSettings b) {
    return !a.addresses().equals(b.addresses())
        && SharedInstances.sameExceptAddresses(a, b)
        && a.name().equals(b.name());
  }
}
