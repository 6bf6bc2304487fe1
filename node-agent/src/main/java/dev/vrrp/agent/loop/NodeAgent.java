package dev.vrrp.agent.loop;

import dev.vrrp.agent.config.InstanceSettings;
import dev.vrrp.agent.health.Link;
import dev.vrrp.agent.net.AddressInUseException;
import dev.vrrp.agent.net.AddressManager;
import dev.vrrp.agent.net.AddressManager.InterfaceAddress;
import dev.vrrp.agent.net.AddressProbe;
import dev.vrrp.agent.net.AdvertisementSender;
import dev.vrrp.agent.net.EthernetFrame;
import dev.vrrp.agent.net.HostAddress;
import dev.vrrp.agent.net.InterfaceInfo;
import dev.vrrp.agent.net.MacAddress;
import dev.vrrp.agent.net.MulticastAdvertisementSender;
import dev.vrrp.agent.net.NetlinkAddressManager;
import dev.vrrp.agent.net.PcapAddressProbe;
import dev.vrrp.agent.net.PcapTransport;
import dev.vrrp.agent.net.SelfCheck;
import dev.vrrp.agent.net.UnicastAdvertisementSender;
import dev.vrrp.api.text.VirtualAddress;
import dev.vrrp.engine.Event;
import dev.vrrp.engine.InstanceConfig;
import dev.vrrp.engine.VrrpInstance;
import dev.vrrp.packet.IpFamily;
import dev.vrrp.packet.V3Checksum;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a set of VRRP instances: one loop, one pcap transport and one multicast membership per
 * interface.
 */
public final class NodeAgent implements Instances, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

  private final AddressManager addressManager;
  private final MeterRegistry registry;
  private final Clock clock;
  // read by the data path check on the health thread
  private final Map<String, InterfaceLoop> loops = new ConcurrentHashMap<>();
  private final Map<String, PcapTransport> transports = new LinkedHashMap<>();
  private final Map<String, InstanceRunner> runners = new ConcurrentHashMap<>();
  private volatile Consumer<InstanceStatus> transitionListener = status -> {};
  // planned maintenance of the node (Kubernetes mode): every instance runs at the lowest priority
  private volatile boolean draining;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Set<String> joined = new HashSet<>();
  private final ScheduledExecutorService healthScheduler = new LoggingScheduler("health");

  private final SelfCheck selfCheck;
  // the first-claim probes wait 300 ms a round: never on an interface loop
  private final ExecutorService probeThread = Executors.newSingleThreadExecutor(daemon("probe"));
  private final ProbeRounds probes;

  /** The agent as both commands run it: this host's kernel, its segment, the wall clock. */
  public static NodeAgent onThisHost(MeterRegistry registry, SelfCheck selfCheck) {
    return new NodeAgent(
        new NetlinkAddressManager(),
        new PcapAddressProbe(),
        selfCheck,
        registry,
        Clock.systemUTC());
  }

  public NodeAgent(
      AddressManager addressManager,
      AddressProbe addressProbe,
      SelfCheck selfCheck,
      MeterRegistry registry,
      Clock clock) {
    this.addressManager = addressManager;
    this.probes = new ProbeRounds(addressProbe, probeThread);
    this.selfCheck = selfCheck;
    this.registry = registry;
    this.clock = clock;
    // a failed round is logged by the scheduler; one bad round must not end the checks
    healthScheduler.scheduleWithFixedDelay(
        () -> {
          try {
            checkDataPaths();
          } catch (RuntimeException e) {
            LOG.error("data path check failed", e);
          }
        },
        DATA_PATH_CHECK.toMillis(),
        DATA_PATH_CHECK.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Opens what every instance needs, then starts them all. Fails before touching addresses if an
   * interface is unusable.
   */
  public void start(List<InstanceSettings> instances) throws IOException {
    List<InstanceRunner> runners = new ArrayList<>();
    for (InstanceSettings settings : instances) {
      runners.add(prepare(settings, StartOptions.STANDALONE));
    }
    for (InstanceRunner runner : runners) {
      startRunner(runner, StartOptions.STANDALONE);
    }
    releaseLeftovers();
  }

  /** Adds and starts one instance while the others run. */
  @Override
  public synchronized void add(InstanceSettings settings, StartOptions options) throws IOException {
    if (runners.containsKey(settings.name())) {
      throw new IllegalStateException(settings.name() + " is already running");
    }
    startRunner(prepare(settings, options), options);
  }

  @Override
  public synchronized void remove(String name) throws IOException {
    InstanceRunner runner = runners.remove(name);
    if (runner == null) {
      return;
    }
    InterfaceLoop loop = loopOf(runner);
    runAndWait(
        loop,
        () -> {
          runner.handle(new Event.Shutdown());
          runner.close();
          loop.unregister(runner);
        });
    runner.closeSender();
  }

  @Override
  public void changeInterval(String name, Duration interval) throws IOException {
    InstanceRunner runner = runners.get(name);
    if (runner != null) {
      runAndWait(
          loopOf(runner), () -> runner.handle(new Event.AdvertisementIntervalChanged(interval)));
    }
  }

  @Override
  public void changeAddresses(String name, List<VirtualAddress> next) throws IOException {
    InstanceRunner runner = runners.get(name);
    if (runner == null) {
      throw new IllegalStateException(name + " is not running");
    }
    if (!runner.engine().changesAddressesLive()) {
      throw new IllegalStateException(name + ": VRRPv2 cannot change its addresses live");
    }
    List<InterfaceAddress> addresses =
        interfaceAddresses(next, InterfaceInfo.of(runner.status().interfaceName()), name);
    runAndWait(loopOf(runner), () -> runner.serve(addresses));
  }

  @Override
  public void changePriority(String name, int priority) throws IOException {
    InstanceRunner runner = runners.get(name);
    if (runner == null) {
      throw new IllegalStateException(name + " is not running");
    }
    if (!InstanceConfig.changesPriorityLive(runner.status().priority(), priority)) {
      throw new IllegalStateException(
          name
              + ": priority "
              + runner.status().priority()
              + " cannot become "
              + priority
              + " live");
    }
    runAndWait(loopOf(runner), () -> runner.changePriority(priority));
  }

  @Override
  public synchronized void drain(boolean on) throws IOException {
    if (on == draining) {
      return;
    }
    draining = on;
    for (InstanceRunner runner : List.copyOf(runners.values())) {
      runAndWait(loopOf(runner), () -> runner.handle(new Event.DrainChanged(on)));
    }
  }

  @Override
  public void held(String name) {
    InstanceRunner runner = runners.get(name);
    if (runner != null) {
      loopOf(runner).executor().execute(runner::held);
    }
  }

  @Override
  public void releaseLeftovers() throws IOException {
    Set<InetAddress> keep = new HashSet<>();
    for (InstanceRunner runner : runners.values()) {
      keep.addAll(runner.engine().config().addresses());
    }
    for (HostAddress address : addressManager.list()) {
      if (address.ours() && !keep.contains(address.address())) {
        LOG.info(
            "removing {}/{} from {}: the agent added it, and no instance has it now",
            address.address().getHostAddress(),
            address.prefixLength(),
            address.interfaceName());
        addressManager.remove(
            address.interfaceName(),
            List.of(new InterfaceAddress(address.address(), address.prefixLength())));
      }
    }
  }

  @Override
  public InstanceStatus status(String name) {
    InstanceRunner runner = runners.get(name);
    return runner == null ? null : runner.status();
  }

  public Set<String> running() {
    return Set.copyOf(runners.keySet());
  }

  /** How often every instance checks its data path (the link, a master's addresses). */
  public static final Duration DATA_PATH_CHECK = Duration.ofSeconds(1);

  /**
   * Lists the node's addresses once, reads each interface's link, and lets every loop check its
   * instances.
   */
  private void checkDataPaths() {
    List<HostAddress> host;
    try {
      host = addressManager.list();
    } catch (IOException e) {
      LOG.warn("data path check: cannot list the node's addresses: {}", e.getMessage());
      return;
    }
    for (InterfaceLoop loop : List.copyOf(loops.values())) {
      String linkProblem = Link.down(loop.interfaceName()).orElse(null);
      loop.executor()
          .execute(
              () -> {
                for (InstanceRunner runner : List.copyOf(loop.runners())) {
                  try {
                    runner.verifyDataPath(host, linkProblem);
                  } catch (RuntimeException e) {
                    LOG.error("{}: data path check failed", runner.name(), e);
                  }
                }
              });
    }
  }

  private void startRunner(InstanceRunner runner, StartOptions options) throws IOException {
    runners.put(runner.name(), runner);
    runAndWait(
        loopOf(runner),
        () -> {
          runner.clearLeftovers();
          if (draining) {
            // before the startup, so it starts as a backup at the lowest priority
            runner.handle(new Event.DrainChanged(true));
          }
          runner.handle(new Event.Startup(options.claim()));
        });
    runner.startHealth(healthScheduler);
  }

  private InterfaceLoop loopOf(InstanceRunner runner) {
    return loops.get(runner.engine().config().family() + "@" + runner.status().interfaceName());
  }

  private InstanceRunner prepare(InstanceSettings s, StartOptions options) throws IOException {
    if (!selfCheck.ready()) {
      throw new IOException(selfCheck.reason());
    }
    InterfaceInfo info = InterfaceInfo.of(s.interfaceName());
    IpFamily family = s.family();
    List<InetAddress> vips = s.addresses().stream().map(VirtualAddress::address).toList();
    List<HostAddress> host = addressManager.list();
    // a node's own address (or another program's) is never a VIP: refuse before anything runs
    for (HostAddress present : host) {
      if (!present.ours() && vips.contains(present.address())) {
        throw new AddressInUseException(present.address(), present.interfaceName());
      }
    }
    InetAddress source =
        s.sourceAddress() != null
            ? s.sourceAddress()
            : InterfaceInfo.ownSource(
                    host, s.interfaceName(), family, virtualAddressesBesides(vips))
                .orElseThrow(
                    () ->
                        new IOException(
                            s.name()
                                + ": interface "
                                + s.interfaceName()
                                + " has no "
                                + (family == IpFamily.IPV4 ? "IPv4" : "IPv6 link-local")
                                + " address of its own to send "
                                + "advertisements from"));
    List<InterfaceAddress> addresses = interfaceAddresses(s.addresses(), info, s.name());
    InterfaceLoop loop = loop(s.interfaceName(), family);
    PcapTransport transport = transport(s.interfaceName(), family);
    MacAddress ownMac = info.mac();
    MacAddress sourceMac =
        s.virtualMac() ? MacAddress.virtualRouter(family, s.virtualRouterId()) : ownMac;
    AdvertisementSender sender;
    if (s.unicastPeers().isEmpty()) {
      sender = new MulticastAdvertisementSender(transport, source, sourceMac, s.v3Checksum());
    } else {
      sender =
          new UnicastAdvertisementSender(
              s.interfaceName(), source, s.unicastPeers(), s.v3Checksum());
    }
    InetAddress linkLocal = info.linkLocal().orElse(source);
    InstanceConfig config =
        new InstanceConfig(
            s.version(),
            s.virtualRouterId(),
            s.priority(),
            s.advertisementInterval(),
            s.preempt(),
            s.preemptDelay(),
            vips,
            source,
            s.password());
    // Announcements name the interface's own MAC even with virtualMac: the NIC accepts only frames
    // for
    // its own address (keepalived needs a macvlan interface to carry traffic on a virtual MAC).
    InstanceRunner runner =
        new InstanceRunner(
            s,
            new VrrpInstance(config),
            loop.executor(),
            new InstanceRunner.NetworkIo(
                sender,
                frame -> {
                  try {
                    transport.send(frame);
                  } catch (IOException e) {
                    LOG.warn("{}: announcement not sent: {}", s.name(), e.getMessage());
                  }
                },
                ownMac,
                linkLocal,
                addressManager,
                probes),
            addresses,
            options.probe(),
            new AgentMetrics(registry, s.name()),
            clock,
            status -> transitionListener.accept(status));
    Set<V3Checksum> accepted =
        s.acceptBothChecksums() ? EnumSet.allOf(V3Checksum.class) : EnumSet.of(s.v3Checksum());
    runAndWait(loop, () -> loop.register(runner, accepted));
    return runner;
  }

  // Seed pitfall: a VIP without a mask becomes /32 and is unreachable from other subnets.
  /**
   * Every address this agent runs as a VIP, so that none of them becomes another instance's source.
   */
  private List<InetAddress> virtualAddressesBesides(List<InetAddress> own) {
    List<InetAddress> all = new ArrayList<>(own);
    for (InstanceRunner runner : runners.values()) {
      all.addAll(runner.engine().config().addresses());
    }
    return all;
  }

  private static List<InterfaceAddress> interfaceAddresses(
      List<VirtualAddress> vips, InterfaceInfo info, String instance) {
    List<InterfaceAddress> addresses = new ArrayList<>();
    for (VirtualAddress vip : vips) {
      addresses.add(new InterfaceAddress(vip.address(), prefixFor(vip, info, instance)));
    }
    return addresses;
  }

  private static int prefixFor(VirtualAddress vip, InterfaceInfo info, String instance) {
    if (vip.prefixLength() != null) {
      return vip.prefixLength();
    }
    int full = IpFamily.of(vip.address()) == IpFamily.IPV4 ? 32 : 128;
    return info.subnetPrefixFor(vip.address())
        .orElseGet(
            () -> {
              LOG.warn(
                  "{}: {} is in no subnet of {}; installing it as /{}. Give a prefix (e.g. {}/24) if clients on "
                      + "other subnets must reach it.",
                  instance,
                  vip.address().getHostAddress(),
                  info.name(),
                  full,
                  vip.address().getHostAddress());
              return full;
            });
  }

  private InterfaceLoop loop(String interfaceName, IpFamily family) {
    return loops.computeIfAbsent(
        loopKey(interfaceName, family),
        key -> {
          return new InterfaceLoop(
              interfaceName, new LoggingScheduler("vrrp-" + interfaceName), registry);
        });
  }

  private static String loopKey(String interfaceName, IpFamily family) {
    return family + "@" + interfaceName;
  }

  private PcapTransport transport(String interfaceName, IpFamily family) throws IOException {
    PcapTransport existing = transports.get(interfaceName);
    if (existing == null) {
      existing =
          PcapTransport.open(
              interfaceName,
              PcapTransport.VRRP_FILTER,
              frame -> {
                // one transport per interface, one loop per family on it: each frame to its own
                IpFamily frameFamily = EthernetFrame.family(frame);
                InterfaceLoop loop =
                    frameFamily == null ? null : loops.get(loopKey(interfaceName, frameFamily));
                if (loop != null) {
                  loop.frameReceived(frame);
                } else {
                  AgentMetrics.dropped(
                      registry,
                      interfaceName,
                      (frameFamily == null ? FrameDrop.NOT_IP : FrameDrop.UNKNOWN_VRID).name());
                }
              });
      transports.put(interfaceName, existing);
      AgentMetrics.captureDrops(registry, interfaceName, existing::kernelDrops);
    }
    joinGroup(interfaceName, family);
    return existing;
  }

  /**
   * pcap sees only what the NIC accepts; joining 224.0.0.18 / ff02::12 with a socket programs the
   * NIC's multicast filter the way keepalived's own socket does.
   */
  private void joinGroup(String interfaceName, IpFamily family) throws IOException {
    if (!joined.add(loopKey(interfaceName, family))) {
      return; // one membership per interface and family serves every instance there
    }
    MulticastSocket socket = new MulticastSocket(null);
    NetworkInterface nif = NetworkInterface.getByName(interfaceName);
    socket.joinGroup(new InetSocketAddress(family.vrrpMulticastGroup(), 0), nif);
    resources.add(socket);
  }

  /** Graceful resign: every master sends priority 0 and releases its addresses, then all stops. */
  public void shutdown() {
    for (InterfaceLoop loop : loops.values()) {
      try {
        runAndWait(
            loop,
            () ->
                loop.runners()
                    .forEach(
                        r -> {
                          r.handle(new Event.Shutdown());
                          r.close();
                        }));
      } catch (IOException e) {
        LOG.warn("shutdown on {}: {}", loop.interfaceName(), e.getMessage());
      }
    }
    runners.values().forEach(InstanceRunner::closeSender);
  }

  /** Called on the loop thread after every state change, e.g. to report status. */
  @Override
  public void onTransition(Consumer<InstanceStatus> listener) {
    this.transitionListener = listener;
  }

  public List<InstanceStatus> status() {
    List<InstanceStatus> out = new ArrayList<>();
    loops.values().forEach(l -> l.runners().forEach(r -> out.add(r.status())));
    return out;
  }

  private static void runAndWait(InterfaceLoop loop, Runnable task) throws IOException {
    CountDownLatch done = new CountDownLatch(1);
    RuntimeException[] failure = new RuntimeException[1];
    loop.executor()
        .execute(
            () -> {
              try {
                task.run();
              } catch (RuntimeException e) {
                failure[0] = e;
              } finally {
                done.countDown();
              }
            });
    try {
      if (!done.await(30, TimeUnit.SECONDS)) {
        throw new IOException("the loop of " + loop.interfaceName() + " did not answer in 30s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  @Override
  public void close() {
    healthScheduler.shutdownNow();
    probeThread.shutdownNow();
    transports.values().forEach(PcapTransport::close);
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.debug("closing {}: {}", resource, e.toString());
      }
    }
    loops.values().forEach(l -> l.executor().shutdownNow());
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
