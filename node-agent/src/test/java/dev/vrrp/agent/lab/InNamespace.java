package dev.vrrp.agent.lab;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code of this JVM inside a network namespace a test made: a fresh thread joins it with
 * setns(2) (a network namespace belongs to a thread, not to the process), runs the code and ends,
 * so no pooled thread is ever left inside. Sockets, netlink and {@code NetworkInterface} calls made
 * on that thread see the namespace's interfaces.
 */
public final class InNamespace {
  private static final int O_RDONLY = 0;
  private static final int CLONE_NEWNET = 0x40000000;

  private interface C extends Library {
    C INSTANCE = Native.load("c", C.class);

    int open(String path, int flags);

    int setns(int fd, int nstype);

    int close(int fd);
  }

  private InNamespace() {}

  public static <T> T call(String namespace, Callable<T> code) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread thread =
        new Thread(
            () -> {
              int fd = C.INSTANCE.open("/var/run/netns/" + namespace, O_RDONLY);
              if (fd < 0 || C.INSTANCE.setns(fd, CLONE_NEWNET) != 0) {
                failure.set(
                    new IllegalStateException(
                        "cannot enter network namespace "
                            + namespace
                            + " (errno "
                            + Native.getLastError()
                            + ")"));
                return;
              }
              C.INSTANCE.close(fd);
              try {
                result.set(code.call());
              } catch (Exception e) {
                failure.set(e);
              }
            },
            "in-" + namespace);
    thread.start();
    thread.join();
    if (failure.get() != null) {
      throw failure.get();
    }
    return result.get();
  }

  public static void run(String namespace, ThrowingRunnable code) throws Exception {
    call(
        namespace,
        () -> {
          code.run();
          return null;
        });
  }

  /** A block that may throw. */
  public interface ThrowingRunnable {
    void run() throws Exception;
  }
}
