package dev.vrrp.api.text;

import dev.vrrp.packet.IpFamily;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * A block of addresses of one family a pool hands out, written as a CIDR ({@code 192.0.2.0/28}), a
 * range ({@code 192.0.2.200-192.0.2.210}, both ends included) or one address. Addresses are numbers
 * here, so a range of any size (an IPv6 /64) costs nothing until an address is taken.
 */
public record AddressRange(IpFamily family, BigInteger first, BigInteger last) {
  public AddressRange {
    if (first.compareTo(last) > 0) {
      throw new IllegalArgumentException("the first address is after the last");
    }
  }

  /** The range, or why the text is none. */
  public static Optional<AddressRange> tryParse(String text) {
    return problem(text).isPresent() ? Optional.empty() : Optional.of(parseValid(text));
  }

  /** The range, or an {@link IllegalArgumentException} that says what is wrong. */
  public static AddressRange parse(String text) {
    Optional<String> problem = problem(text);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    return parseValid(text);
  }

  /** What is wrong with the text as a range, if anything. */
  public static Optional<String> problem(String text) {
    String hint = " (write a CIDR 192.0.2.0/28, a range 192.0.2.200-192.0.2.210 or one address)";
    if (text == null || text.isBlank()) {
      return Optional.of("must not be empty" + hint);
    }
    int dash = text.indexOf('-');
    if (dash >= 0) {
      Optional<InetAddress> from = IpLiteral.tryParse(text.substring(0, dash));
      Optional<InetAddress> to = IpLiteral.tryParse(text.substring(dash + 1));
      if (from.isEmpty() || to.isEmpty()) {
        return Optional.of("not a range of two IP addresses: '" + text + "'" + hint);
      }
      if (IpFamily.of(from.get()) != IpFamily.of(to.get())) {
        return Optional.of("mixes IPv4 and IPv6: '" + text + "'");
      }
      if (number(from.get()).compareTo(number(to.get())) > 0) {
        return Optional.of("starts after it ends: '" + text + "'");
      }
      return Optional.empty();
    }
    // one grammar for IP[/prefix]: the virtual address's
    Optional<String> notAnAddress = VirtualAddress.problem(text);
    if (notAnAddress.isPresent()) {
      return Optional.of(notAnAddress.get() + hint);
    }
    VirtualAddress cidr = VirtualAddress.parse(text);
    AddressRange block = block(cidr);
    if (!block.first.equals(number(cidr.address()))) {
      return Optional.of(
          "has host bits set: '"
              + text
              + "' (the network is "
              + IpLiteral.format(address(block.family, block.first))
              + "/"
              + cidr.prefixLength()
              + ")");
    }
    return Optional.empty();
  }

  private static AddressRange parseValid(String text) {
    int dash = text.indexOf('-');
    if (dash >= 0) {
      InetAddress from = IpLiteral.parse(text.substring(0, dash));
      InetAddress to = IpLiteral.parse(text.substring(dash + 1));
      return new AddressRange(IpFamily.of(from), number(from), number(to));
    }
    return block(VirtualAddress.parse(text));
  }

  /** The block of the prefix the address is in (the address alone without a prefix). */
  private static AddressRange block(VirtualAddress cidr) {
    int bits = VirtualAddress.maxPrefix(cidr.family());
    int length = cidr.prefixLength() == null ? bits : cidr.prefixLength();
    BigInteger size = BigInteger.ONE.shiftLeft(bits - length);
    BigInteger n = number(cidr.address());
    BigInteger first = n.subtract(n.mod(size));
    return new AddressRange(cidr.family(), first, first.add(size).subtract(BigInteger.ONE));
  }

  /** How many addresses the range holds. */
  public BigInteger size() {
    return last.subtract(first).add(BigInteger.ONE);
  }

  public boolean contains(InetAddress address) {
    if (IpFamily.of(address) != family) {
      return false;
    }
    BigInteger n = number(address);
    return n.compareTo(first) >= 0 && n.compareTo(last) <= 0;
  }

  /** Whether the two share an address. */
  public boolean overlaps(AddressRange other) {
    return family == other.family
        && first.compareTo(other.last) <= 0
        && other.first.compareTo(last) <= 0;
  }

  /**
   * Whether an IPv4 address ends in .0 or .255: some old clients and routers take them for a
   * network or broadcast address whatever the prefix, so a pool may leave them out.
   */
  public static boolean buggy(InetAddress address) {
    if (!(address instanceof Inet4Address)) {
      return false;
    }
    int last = address.getAddress()[3] & 0xff;
    return last == 0 || last == 255;
  }

  /** The address at {@code offset} from the first (0 is the first). */
  public InetAddress at(BigInteger offset) {
    BigInteger n = first.add(offset);
    if (offset.signum() < 0 || n.compareTo(last) > 0) {
      throw new IndexOutOfBoundsException(offset + " is outside " + this);
    }
    return address(family, n);
  }

  /** The address as a number. */
  public static BigInteger number(InetAddress address) {
    return new BigInteger(1, address.getAddress());
  }

  static InetAddress address(IpFamily family, BigInteger n) {
    int length = family.addressLength();
    byte[] raw = new byte[length];
    byte[] bytes = n.toByteArray();
    int copy = Math.min(bytes.length, length);
    System.arraycopy(bytes, bytes.length - copy, raw, length - copy, copy);
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // never: the length is right
    }
  }

  @Override
  public String toString() {
    return IpLiteral.format(address(family, first)) + "-" + IpLiteral.format(address(family, last));
  }
}
