package dev.vrrp.packet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Valid advertisements and IP contexts drawn from a seeded random source, for property and fuzz
 * tests.
 */
final class RandomPackets {
  private final Random random;

  RandomPackets(long seed) {
    this.random = new Random(seed);
  }

  Random random() {
    return random;
  }

  /** A valid advertisement and the context it travels in. */
  record Sample(Advertisement advertisement, IpContext ip, V3Checksum style) {
    byte[] encode() {
      return AdvertisementCodec.encode(advertisement, ip, style);
    }
  }

  Sample sample() {
    boolean v2 = random.nextInt(3) == 0;
    IpFamily family = v2 || random.nextBoolean() ? IpFamily.IPV4 : IpFamily.IPV6;
    int count = 1 + (random.nextInt(8) == 0 ? random.nextInt(255) : random.nextInt(4));
    List<InetAddress> addresses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      addresses.add(address(family));
    }
    int vrid = 1 + random.nextInt(255);
    int priority = random.nextInt(256);
    Advertisement adv;
    if (v2) {
      String password =
          switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> "";
            default -> randomPassword();
          };
      adv = Advertisement.v2(vrid, priority, 1 + random.nextInt(255), addresses, password);
    } else {
      adv = Advertisement.v3(vrid, priority, 1 + random.nextInt(4095), addresses);
    }
    IpContext ip =
        new IpContext(
            address(family),
            random.nextBoolean() ? family.vrrpMulticastGroup() : address(family),
            IpContext.REQUIRED_TTL);
    V3Checksum style = random.nextBoolean() ? V3Checksum.PSEUDO_HEADER : V3Checksum.AS_V2;
    return new Sample(adv, ip, style);
  }

  private String randomPassword() {
    StringBuilder sb = new StringBuilder();
    int length = 1 + random.nextInt(8);
    for (int i = 0; i < length; i++) {
      sb.append((char) ('!' + random.nextInt(94)));
    }
    return sb.toString();
  }

  InetAddress address(IpFamily family) {
    byte[] raw = new byte[family.addressLength()];
    random.nextBytes(raw);
    return AdvertisementCodec.address(raw);
  }

  /**
   * Flips, overwrites, truncates or extends a valid message, the way broken senders and wires do.
   */
  byte[] mutate(byte[] message) {
    byte[] out = message.clone();
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations; m++) {
      switch (random.nextInt(6)) {
        case 0 -> {
          if (out.length > 0) {
            int at = random.nextInt(out.length);
            out[at] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> {
          if (out.length > 0) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
          }
        }
        case 2 -> out = Arrays.copyOf(out, random.nextInt(out.length + 1));
        case 3 -> out = Arrays.copyOf(out, out.length + 1 + random.nextInt(32));
        case 4 -> {
          if (out.length > 3) {
            out[3] = (byte) random.nextInt(256);
          }
        }
        default -> {
          if (out.length > 0) {
            out[0] = (byte) random.nextInt(256);
          }
        }
      }
    }
    return out;
  }

  byte[] noise() {
    byte[] out = new byte[random.nextInt(random.nextBoolean() ? 64 : 4200)];
    random.nextBytes(out);
    return out;
  }

  static InetAddress parse(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
