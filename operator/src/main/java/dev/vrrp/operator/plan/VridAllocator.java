package dev.vrrp.operator.plan;

import dev.vrrp.api.vocabulary.Reason;
import dev.vrrp.packet.ProtocolLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Gives every VirtualIP a VRRP virtual router id (VRID, 1-255) and decides which VirtualIPs cannot
 * be installed. Pure: the same requests always give the same answer.
 *
 * <h2>Segments</h2>
 *
 * Two VRRP routers with the same VRID on one layer-2 segment are the same router (RFC 5798 section
 * 5.2.3), so VRIDs must be unique among VirtualIPs that can meet on a segment. The operator cannot
 * see the wire; it assumes that two VirtualIPs of the same address family share a segment when
 * their selected node sets intersect (a node usually has one segment per interface, and the
 * interface is optional in the spec, so this is the conservative reading). IPv4 and IPv6 have
 * separate VRID spaces. Disjoint node groups reuse VRIDs freely.
 *
 * <h2>Order and stability</h2>
 *
 * VirtualIPs are considered in creation order (creationTimestamp, then name), so a new VirtualIP
 * never moves an older one. A VirtualIP keeps the VRID it has ({@code previous}, from {@code
 * status.virtualRouterId}) for as long as it does not clash: adding, deleting or relabelling other
 * VirtualIPs does not renumber running routers (which would be a failover). New VirtualIPs get the
 * lowest VRID free on all their nodes.
 *
 * <h2>Conflicts</h2>
 *
 * The later-created VirtualIP of a clashing pair is refused (no VRID, so no agent installs it):
 *
 * <ul>
 *   <li>{@code AddressConflict}: one of its addresses is claimed by an earlier VirtualIP, anywhere
 *       in the cluster (an address belongs to the network, not to a node group);
 *   <li>{@code VridConflict}: its explicit {@code spec.virtualRouterId} is in use on a shared node
 *       by an earlier VirtualIP (explicit or allocated). An allocated VRID whose nodes changed and
 *       now clash is simply re-allocated.
 * </ul>
 *
 * <h2>Exhaustion</h2>
 *
 * VRRP has 255 VRIDs per segment and family. While VRIDs are free, every VirtualIP gets its own
 * (independent failover). When none is free on its nodes, a VirtualIP shares the VRID of an earlier
 * <em>compatible</em> VirtualIP: the same nodes and the same VRRP settings ({@code shareKey}:
 * interface, version, interval, preemption, authentication, unicast, tracking and explicit
 * priorities), and it gets that VirtualIP's priorities. The agents then run one VRRP instance whose
 * advertisement lists the addresses of all of them (as keepalived does with several
 * virtual_ipaddress in one vrrp_instance), so they fail over together. Among compatible groups it
 * joins the one with the fewest members (lowest VRID on ties), which keeps groups even and masters
 * spread. A group carries at most {@link #maxSharedAddresses} addresses (255 for IPv4, the address
 * count field; 90 for IPv6, what fits a 1500-byte advertisement). Sharing is sticky like everything
 * else: a shared VirtualIP keeps its group when VRIDs free up (moving it would be a failover). Only
 * when nothing compatible has room is a VirtualIP refused with {@code VridExhausted}, naming the
 * family, the nodes and what to change. So 1000 VirtualIPs fit on 3 nodes (about 4 per VRID), and
 * on 4 disjoint node groups each gets its own VRID.
 *
 * <p>An explicit {@code spec.virtualRouterId} never joins a group: a clash is a conflict.
 */
final class VridAllocator {
  private final VridRange range;

  /** Allocates from all of 1-255. */
  VridAllocator() {
    this(VridRange.ALL);
  }

  /** Allocates from {@code range}; explicit VRIDs anywhere in 1-255 are honoured. */
  VridAllocator(VridRange range) {
    this.range = range;
  }

  /**
   * One VirtualIP's claim.
   *
   * @param name the VirtualIP
   * @param created its creationTimestamp (null sorts last)
   * @param family its address family
   * @param nodes the nodes it selects
   * @param addresses its addresses as written (prefixes are ignored when comparing)
   * @param requested {@code spec.virtualRouterId}, or null to allocate
   * @param previous the VRID it runs with now ({@code status.virtualRouterId}), or null
   * @param shareKey its VRRP settings in canonical form; two VirtualIPs with the same nodes and an
   *     equal non-null key may share a VRID when VRIDs run out (null: never share)
   */
  record Request(
      String name,
      Instant created,
      AddressFamily family,
      Set<String> nodes,
      List<String> addresses,
      Integer requested,
      Integer previous,
      String shareKey) {
    Request {
      nodes = Set.copyOf(nodes);
      addresses = List.copyOf(addresses);
    }

    /** A request that never shares. */
    Request(
        String name,
        Instant created,
        AddressFamily family,
        Set<String> nodes,
        List<String> addresses,
        Integer requested,
        Integer previous) {
      this(name, created, family, nodes, addresses, requested, previous, null);
    }
  }

  /**
   * The outcome for one VirtualIP: a VRID, or a conflict (then the VRID is null), or neither (an
   * allocated VirtualIP that selects no node waits for one before it takes a VRID). {@code
   * sharedWith} names the VirtualIP whose VRID (and priorities) it shares, or is null.
   */
  record Allocation(Integer virtualRouterId, Conflict conflict, String sharedWith) {
    Allocation(Integer virtualRouterId, Conflict conflict) {
      this(virtualRouterId, conflict, null);
    }

    boolean refused() {
      return conflict != null;
    }
  }

  /** How many addresses one shared advertisement may carry. */
  static int maxSharedAddresses(AddressFamily family) {
    return family == AddressFamily.IPV6 ? 90 : ProtocolLimits.MAX_ADDRESSES;
  }

  /** VirtualIPs running one VRID together; the leader is the first, whose priorities all use. */
  private static final class Group {
    final String leader;
    final AddressFamily family;
    final Set<String> nodes;
    final String shareKey;
    final int vrid;
    int members = 1;
    int addresses;

    Group(Request leader, int vrid) {
      this.leader = leader.name();
      this.family = leader.family();
      this.nodes = leader.nodes();
      this.shareKey = leader.shareKey();
      this.vrid = vrid;
      this.addresses = leader.addresses().size();
    }

    boolean admits(Request r) {
      return shareKey != null
          && shareKey.equals(r.shareKey())
          && family == r.family()
          && nodes.equals(r.nodes())
          && addresses + r.addresses().size() <= maxSharedAddresses(family);
    }
  }

  /** Creation order: creationTimestamp, then name. */
  static final Comparator<Request> CREATION_ORDER =
      Comparator.comparing(Request::created, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(Request::name);

  /** Who holds which VRID on each node, per family. */
  private static final class Space {
    private final Map<String, BitSet> used = new HashMap<>();
    private final Map<String, String[]> owners = new HashMap<>();

    /** An earlier owner of {@code vrid} on one of {@code nodes}, as "vip on node", or null. */
    String holder(Set<String> nodes, int vrid) {
      for (String node : new TreeSet<>(nodes)) {
        String[] byVrid = owners.get(node);
        if (byVrid != null && byVrid[vrid] != null) {
          return "VirtualIP " + byVrid[vrid] + " on node " + node;
        }
      }
      return null;
    }

    BitSet usedOn(Set<String> nodes) {
      BitSet all = new BitSet(ProtocolLimits.MAX_VRID + 1);
      for (String node : nodes) {
        BitSet bits = used.get(node);
        if (bits != null) {
          all.or(bits);
        }
      }
      return all;
    }

    /** The name of the owner of {@code vrid} on the first of {@code nodes} that has one. */
    String owner(Set<String> nodes, int vrid) {
      for (String node : new TreeSet<>(nodes)) {
        String[] byVrid = owners.get(node);
        if (byVrid != null && byVrid[vrid] != null) {
          return byVrid[vrid];
        }
      }
      return null;
    }

    void take(Set<String> nodes, int vrid, String owner) {
      for (String node : nodes) {
        used.computeIfAbsent(node, n -> new BitSet(ProtocolLimits.MAX_VRID + 1)).set(vrid);
        owners.computeIfAbsent(node, n -> new String[ProtocolLimits.MAX_VRID + 1])[vrid] = owner;
      }
    }
  }

  /** Allocates for all VirtualIPs at once; the result has one entry per request. */
  Map<String, Allocation> allocate(Collection<Request> requests) {
    List<Request> ordered = new ArrayList<>(requests);
    ordered.sort(CREATION_ORDER);
    Map<String, Allocation> result = new LinkedHashMap<>();

    // 1. Addresses: the first claim wins, cluster-wide.
    Map<String, String> addressOwner = new HashMap<>();
    List<Request> admitted = new ArrayList<>();
    for (Request r : ordered) {
      String clash = null;
      for (String address : r.addresses()) {
        String owner = addressOwner.get(AddressFamily.canonical(address));
        if (owner != null && !owner.equals(r.name())) {
          clash =
              "address "
                  + AddressFamily.canonical(address)
                  + " is already claimed by VirtualIP "
                  + owner
                  + " (created earlier); remove it from one of them";
          break;
        }
      }
      if (clash != null) {
        result.put(r.name(), new Allocation(null, new Conflict(Reason.ADDRESS_CONFLICT, clash)));
        continue;
      }
      r.addresses().forEach(a -> addressOwner.putIfAbsent(AddressFamily.canonical(a), r.name()));
      admitted.add(r);
    }

    // 2. Explicit and kept VRIDs, oldest first.
    Map<AddressFamily, Space> spaces = new EnumMap<>(AddressFamily.class);
    for (AddressFamily family : AddressFamily.values()) {
      spaces.put(family, new Space());
    }
    Map<String, Group> groupOf = new HashMap<>(); // holder name -> its group
    Map<String, TreeSet<Group>> groups = new HashMap<>(); // family, nodes and settings -> groups
    List<Request> fresh = new ArrayList<>();
    for (Request r : admitted) {
      if (r.requested() != null && !valid(r.requested())) {
        result.put(
            r.name(),
            new Allocation(
                null,
                new Conflict(
                    Reason.VRID_CONFLICT,
                    "virtualRouterId " + r.requested() + " is outside " + VridRange.ALL_TEXT)));
        continue;
      }
      // an allocated VRID outside a narrowed range moves into it
      Integer claim =
          r.requested() != null
              ? r.requested()
              : valid(r.previous()) && range.contains(r.previous()) ? r.previous() : null;
      if (claim == null) {
        fresh.add(r);
        continue;
      }
      Space space = spaces.get(r.family());
      String holder = space.holder(r.nodes(), claim);
      if (holder == null) {
        take(space, r, claim, groupOf, groups);
        result.put(r.name(), new Allocation(claim, null));
        continue;
      }
      Group group = groupOf.get(space.owner(r.nodes(), claim));
      if (r.requested() == null && group != null && group.vrid == claim && group.admits(r)) {
        TreeSet<Group> sorted = groups.get(groupKey(r));
        sorted.remove(group);
        join(group, r);
        sorted.add(group);
        result.put(
            r.name(), new Allocation(claim, null, group.leader)); // it shared before: it stays
      } else if (r.requested() != null) {
        result.put(
            r.name(),
            new Allocation(
                null,
                new Conflict(
                    Reason.VRID_CONFLICT,
                    "virtualRouterId "
                        + claim
                        + " is already used by "
                        + holder
                        + " ("
                        + r.family()
                        + ", created earlier); choose another virtualRouterId or remove it to have one allocated")));
      } else {
        fresh.add(r); // its allocated VRID clashes after a change of nodes: allocate again
      }
    }

    // 3. Everything else: the lowest VRID free on all of its nodes, else a compatible group.
    for (Request r : fresh) {
      if (r.nodes().isEmpty()) {
        result.put(r.name(), new Allocation(null, null));
        continue;
      }
      Space space = spaces.get(r.family());
      BitSet used = space.usedOn(r.nodes());
      int vrid = used.nextClearBit(range.first());
      if (vrid <= range.last()) {
        take(space, r, vrid, groupOf, groups);
        result.put(r.name(), new Allocation(vrid, null));
        continue;
      }
      Group group = null;
      TreeSet<Group> candidates = r.shareKey() == null ? null : groups.get(groupKey(r));
      if (candidates != null) {
        for (Group g : candidates) { // fewest members first, then lowest VRID
          if (g.admits(r)) {
            group = g;
            break;
          }
        }
      }
      if (group != null) {
        candidates.remove(group);
        join(group, r);
        candidates.add(group);
        result.put(r.name(), new Allocation(group.vrid, null, group.leader));
        continue;
      }
      result.put(
          r.name(),
          new Allocation(
              null,
              new Conflict(
                  Reason.VRID_EXHAUSTED,
                  "no free virtualRouterId: all "
                      + used.get(range.first(), range.last() + 1).cardinality()
                      + " "
                      + r.family()
                      + " VRIDs of "
                      + range
                      + " are in use by earlier VirtualIPs sharing nodes "
                      + String.join(", ", new TreeSet<>(r.nodes()))
                      + ", and none of them selects exactly these nodes with the same VRRP settings (interface, version, "
                      + "interval, preemption, authentication, unicast, tracking, priorities) and room for "
                      + r.addresses().size()
                      + " more address(es), so it cannot share one. Spread VirtualIPs over "
                      + "disjoint node groups, align the settings with an existing VirtualIP, or delete one")));
    }

    Map<String, Allocation> inRequestOrder = new LinkedHashMap<>();
    for (Request r : ordered) {
      inRequestOrder.put(r.name(), result.get(r.name()));
    }
    return inRequestOrder;
  }

  private static final Comparator<Group> FEWEST_MEMBERS =
      Comparator.comparingInt((Group g) -> g.members).thenComparingInt(g -> g.vrid);

  private static void take(
      Space space,
      Request r,
      int vrid,
      Map<String, Group> groupOf,
      Map<String, TreeSet<Group>> groups) {
    space.take(r.nodes(), vrid, r.name());
    Group group = new Group(r, vrid);
    groupOf.put(r.name(), group);
    if (r.shareKey() != null) {
      groups.computeIfAbsent(groupKey(r), k -> new TreeSet<>(FEWEST_MEMBERS)).add(group);
    }
  }

  private static String groupKey(Request r) {
    return r.family() + "\u0000" + new TreeSet<>(r.nodes()) + "\u0000" + r.shareKey();
  }

  /** Adds {@code r} to the group; the caller keeps the group's place in its sorted set. */
  private static void join(Group group, Request r) {
    group.members++;
    group.addresses += r.addresses().size();
  }

  private static boolean valid(Integer vrid) {
    return vrid != null && VridRange.ALL.contains(vrid);
  }
}
