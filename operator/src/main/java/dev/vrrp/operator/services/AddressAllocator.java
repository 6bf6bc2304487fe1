package dev.vrrp.operator.services;

import dev.vrrp.api.text.AddressRange;
import dev.vrrp.api.text.IpLiteral;
import dev.vrrp.packet.IpFamily;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which addresses a LoadBalancer Service gets. Pure, and derived only from its arguments: the pools
 * and the addresses taken now (read from the VirtualIPs the operator created, never kept in
 * memory), so an operator restart or a new leader computes the same answer and never hands an
 * address out twice.
 *
 * <ul>
 *   <li>A Service keeps the addresses it holds, family by family.
 *   <li>Addresses it names ({@code vrrp.dev/addresses}) must lie in a pool it may use and be free
 *       or shareable with it.
 *   <li>Otherwise the named pool ({@code vrrp.dev/pool}), or else every pool that assigns
 *       automatically, in name order: per family it asks for, the lowest free address, skipping .0
 *       and .255 where the pool avoids them.
 *   <li>An address held by another Service is shareable when both carry the same sharing key (the
 *       caller folds the {@code vrrp.dev/allow-shared-ip} key and the traffic policy rules into it)
 *       and their ports do not overlap.
 * </ul>
 */
public final class AddressAllocator {
  private AddressAllocator() {}

  /** A pool the Service may draw from (its selectors matched). */
  public record Pool(
      String name, List<AddressRange> ranges, boolean autoAssign, boolean avoidBuggyIPs) {
    public Pool {
      ranges = List.copyOf(ranges);
    }

    boolean contains(InetAddress address) {
      return ranges.stream().anyMatch(r -> r.contains(address));
    }

    boolean has(IpFamily family) {
      return ranges.stream().anyMatch(r -> r.family() == family);
    }
  }

  /**
   * An address held now, with what sharing it needs.
   *
   * @param service the holder: a Service as namespace/name, or another holder as Kind/name (a
   *     VirtualIP of its own, a Node's address), which never shares
   */
  public record Holding(
      InetAddress address, Kind kind, String service, String shareKey, Set<String> ports) {
    /** What holds an address. */
    public enum Kind {
      SERVICE("Service"),
      VIRTUAL_IP("VirtualIP"),
      NODE("Node");

      private final String word;

      Kind(String word) {
        this.word = word;
      }
    }

    public Holding {
      ports = Set.copyOf(ports);
    }

    /** A Service's address (namespace/name), with its sharing key (or null) and ports. */
    public static Holding ofService(
        InetAddress address, String service, String shareKey, Set<String> ports) {
      return new Holding(address, Kind.SERVICE, service, shareKey, ports);
    }

    /** An address something other than a Service holds: nobody may have it. */
    public static Holding other(InetAddress address, Kind kind, String name) {
      return new Holding(address, kind, name, null, Set.of());
    }

    boolean byService() {
      return kind == Kind.SERVICE;
    }

    /** The holder in words: "Service ns/web", "VirtualIP web", "Node node-a". */
    String holder() {
      return kind.word + " " + service;
    }
  }

  /**
   * What a Service asks for.
   *
   * @param service namespace/name
   * @param families the families it wants one address each of (its ipFamilies)
   * @param explicit the addresses it names, or empty
   * @param pool the pool it names, or null
   * @param shareKey its sharing key, or null when it shares with nobody
   * @param ports its ports as PROTOCOL/port
   */
  public record Request(
      String service,
      List<IpFamily> families,
      List<InetAddress> explicit,
      String pool,
      String shareKey,
      Set<String> ports) {
    public Request {
      families = List.copyOf(families);
      explicit = List.copyOf(explicit);
      ports = Set.copyOf(ports);
    }
  }

  /** The addresses, one per family asked for, or why there are none. */
  public sealed interface Result {
    record Assigned(List<InetAddress> addresses) implements Result {}

    record Refused(String reason) implements Result {}
  }

  /**
   * @param pools the pools the Service's selectors allow
   * @param held every address any Service holds now (this one's included)
   */
  public static Result allocate(Request request, List<Pool> pools, Collection<Holding> held) {
    Map<InetAddress, List<Holding>> byAddress = new HashMap<>();
    for (Holding h : held) {
      byAddress.computeIfAbsent(h.address(), a -> new ArrayList<>()).add(h);
    }
    if (!request.explicit().isEmpty()) {
      return explicit(request, pools, byAddress);
    }
    List<Pool> candidates;
    if (request.pool() != null) {
      Optional<Pool> named =
          pools.stream().filter(p -> p.name().equals(request.pool())).findFirst();
      if (named.isEmpty()) {
        return new Result.Refused(
            "pool " + request.pool() + " does not exist or does not admit this Service");
      }
      candidates = List.of(named.get());
    } else {
      candidates =
          pools.stream().filter(Pool::autoAssign).sorted(Comparator.comparing(Pool::name)).toList();
      if (candidates.isEmpty()) {
        return new Result.Refused("no pool with autoAssign admits this Service");
      }
    }
    List<InetAddress> out = new ArrayList<>();
    for (IpFamily family : request.families()) {
      Optional<InetAddress> mine = heldBy(request.service(), family, byAddress);
      if (mine.isPresent()) {
        out.add(mine.get());
        continue;
      }
      Optional<InetAddress> found = Optional.empty();
      boolean anyPoolOfFamily = false;
      for (Pool pool : candidates) {
        anyPoolOfFamily |= pool.has(family);
        found = firstUsable(pool, family, request, byAddress);
        if (found.isPresent()) {
          break;
        }
      }
      if (found.isEmpty()) {
        String where =
            candidates.size() == 1 ? "pool " + candidates.get(0).name() : "the pools it may use";
        return new Result.Refused(
            anyPoolOfFamily
                ? "no " + family.label() + " address left in " + where
                : where
                    + " "
                    + (candidates.size() == 1 ? "has" : "have")
                    + " no "
                    + family.label()
                    + " addresses");
      }
      out.add(found.get());
    }
    return new Result.Assigned(List.copyOf(out));
  }

  private static Result explicit(
      Request request, List<Pool> pools, Map<InetAddress, List<Holding>> byAddress) {
    List<InetAddress> out = new ArrayList<>();
    Set<IpFamily> seen = new HashSet<>();
    for (InetAddress address : request.explicit()) {
      String text = IpLiteral.format(address);
      IpFamily family = IpFamily.of(address);
      if (!request.families().contains(family)) {
        return new Result.Refused(
            text + " is " + family.label() + " and the Service asks for " + labels(request));
      }
      if (!seen.add(family)) {
        return new Result.Refused("two " + family.label() + " addresses; name one per family");
      }
      if (pools.stream().noneMatch(p -> p.contains(address))) {
        return new Result.Refused(text + " is in no pool that admits this Service");
      }
      Optional<String> busy = conflict(address, request, byAddress);
      if (busy.isPresent()) {
        return new Result.Refused(text + " " + busy.get());
      }
      out.add(address);
    }
    for (IpFamily family : request.families()) {
      if (!seen.contains(family)) {
        return new Result.Refused(
            "the Service asks for "
                + labels(request)
                + " and names no "
                + family.label()
                + " address");
      }
    }
    return new Result.Assigned(List.copyOf(out));
  }

  private static Optional<InetAddress> heldBy(
      String service, IpFamily family, Map<InetAddress, List<Holding>> byAddress) {
    return byAddress.entrySet().stream()
        .filter(e -> IpFamily.of(e.getKey()) == family)
        .filter(
            e -> e.getValue().stream().anyMatch(h -> h.byService() && h.service().equals(service)))
        .map(Map.Entry::getKey)
        .min(Comparator.comparing(AddressRange::number));
  }

  /** The lowest address of the family in the pool that the Service may take. */
  private static Optional<InetAddress> firstUsable(
      Pool pool, IpFamily family, Request request, Map<InetAddress, List<Holding>> byAddress) {
    // shareable addresses first: sharing is what the key asks for
    if (request.shareKey() != null) {
      Optional<InetAddress> shared =
          byAddress.keySet().stream()
              .filter(a -> IpFamily.of(a) == family && pool.contains(a))
              .filter(a -> conflict(a, request, byAddress).isEmpty())
              .min(Comparator.comparing(AddressRange::number));
      if (shared.isPresent()) {
        return shared;
      }
    }
    for (AddressRange range : pool.ranges()) {
      if (range.family() != family) {
        continue;
      }
      // taken addresses of this range, ascending: walk the gaps between them
      TreeSet<BigInteger> taken = new TreeSet<>();
      for (InetAddress a : byAddress.keySet()) {
        if (range.contains(a)) {
          taken.add(AddressRange.number(a));
        }
      }
      BigInteger offset = BigInteger.ZERO;
      BigInteger size = range.size();
      while (offset.compareTo(size) < 0) {
        BigInteger n = range.first().add(offset);
        if (taken.contains(n)) {
          offset = offset.add(BigInteger.ONE);
          continue;
        }
        InetAddress candidate = range.at(offset);
        if (pool.avoidBuggyIPs() && AddressRange.buggy(candidate)) {
          offset = offset.add(BigInteger.ONE);
          continue;
        }
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Why the Service may not have the address, if it may not. */
  private static Optional<String> conflict(
      InetAddress address, Request request, Map<InetAddress, List<Holding>> byAddress) {
    List<Holding> others =
        byAddress.getOrDefault(address, List.of()).stream()
            .filter(h -> !(h.byService() && h.service().equals(request.service())))
            .toList();
    for (Holding other : others) {
      if (request.shareKey() == null || !request.shareKey().equals(other.shareKey())) {
        return Optional.of(
            "is held by " + other.holder() + (other.byService() ? " (no common sharing key)" : ""));
      }
      if (!Collections.disjoint(request.ports(), other.ports())) {
        Set<String> both = new TreeSet<>(request.ports());
        both.retainAll(other.ports());
        return Optional.of(
            "is shared with Service " + other.service() + ", which uses port " + both + " too");
      }
    }
    return Optional.empty();
  }

  private static String labels(Request request) {
    Map<IpFamily, String> names = new LinkedHashMap<>();
    request.families().forEach(f -> names.put(f, f.label()));
    return String.join(" and ", names.values());
  }
}
