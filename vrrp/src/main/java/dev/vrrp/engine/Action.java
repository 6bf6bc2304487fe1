package dev.vrrp.engine;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What an instance asks its driver to do. {@link #describe()} is the stable text the conformance
 * cases are written in.
 */
public sealed interface Action {

  String describe();

  /** Send an advertisement with this priority (0 = resigning, RFC 5798 6.4.3). */
  record SendAdvertisement(int priority) implements Action {
    @Override
    public String describe() {
      return "send priority=" + priority;
    }
  }

  /** Put the virtual addresses on the interface. */
  record AddAddresses() implements Action {
    @Override
    public String describe() {
      return "add-addresses";
    }
  }

  record RemoveAddresses() implements Action {
    @Override
    public String describe() {
      return "remove-addresses";
    }
  }

  /** Gratuitous ARP (IPv4) / unsolicited Neighbor Advertisement (IPv6) for every address. */
  record AnnounceAddresses() implements Action {
    @Override
    public String describe() {
      return "announce";
    }
  }

  record ArmTimer(TimerKind timer, Duration delay) implements Action {
    @Override
    public String describe() {
      return "arm " + timer + " " + formatMillis(delay);
    }
  }

  record CancelTimer(TimerKind timer) implements Action {
    @Override
    public String describe() {
      return "cancel " + timer;
    }
  }

  record StateChanged(VrrpState from, VrrpState to, String reason) implements Action {
    @Override
    public String describe() {
      return "state " + from + "->" + to + " (" + reason + ")";
    }
  }

  /**
   * A master's address list changed: add {@code added} to the interface and announce them, remove
   * {@code removed}. The other addresses stay where they are.
   */
  record ChangeAddresses(List<InetAddress> added, List<InetAddress> removed) implements Action {
    @Override
    public String describe() {
      return "change-addresses +" + added.size() + " -" + removed.size();
    }
  }

  /** A received advertisement failed a check that needs the local configuration; count it. */
  record Discard(DiscardReason reason, InetAddress source) implements Action {
    @Override
    public String describe() {
      return "discard " + reason;
    }
  }

  /** Another router claims to be master with a lower priority: a split brain this one wins. */
  record ConflictingMaster(InetAddress source, int priority) implements Action {
    @Override
    public String describe() {
      return "conflicting-master priority=" + priority;
    }
  }

  /** The master advertises other addresses than ours for this VRID (RFC 5798 7.1 MAY check). */
  record AddressMismatch(InetAddress source) implements Action {
    @Override
    public String describe() {
      return "address-mismatch";
    }
  }

  static String formatMillis(Duration duration) {
    long micros = duration.toNanos() / 1_000;
    if (micros % 1_000 == 0) {
      return (micros / 1_000) + "ms";
    }
    return String.format(Locale.ROOT, "%d.%03dms", micros / 1_000, micros % 1_000);
  }
}
