package dev.vrrp.lab;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a container of a pod template becomes on this machine: its command, with {@code java} and
 * the image's jars replaced by the local JDK and the jars Maven built; its environment with the
 * downward API and the kubelet's {@code $(VAR)} expansion filled in; and its service account as a
 * kubeconfig.
 *
 * @param argv the process to start
 * @param env its environment (on top of the lab's)
 * @param serviceAccount the pod's service account, whose token the process gets
 */
public record PodProcess(List<String> argv, Map<String, String> env, String serviceAccount) {

  /** The same process with more environment (what the stand-in kubelet adds). */
  public PodProcess withEnv(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.putAll(more);
    return new PodProcess(argv, Map.copyOf(all), serviceAccount);
  }

  /** Who the pod is: what the downward API and HOSTNAME tell the container. */
  public record Identity(
      String name, String namespace, String nodeName, String hostIp, String podIp) {}

  /**
   * @param localJars image path suffix (e.g. {@code node-agent.jar}) to the jar built here
   */
  public static PodProcess of(PodSpec pod, Identity identity, Map<String, Path> localJars) {
    if (pod.getContainers().size() != 1) {
      throw new IllegalArgumentException(
          "the lab runs pods of one container, not " + pod.getContainers().size());
    }
    Container container = pod.getContainers().get(0);
    List<String> declared = new ArrayList<>();
    if (container.getCommand() != null) {
      declared.addAll(container.getCommand());
    }
    if (container.getArgs() != null) {
      declared.addAll(container.getArgs());
    }
    if (declared.isEmpty()) {
      throw new IllegalArgumentException(
          "container "
              + container.getName()
              + " has no command: the lab cannot "
              + "know the image's entrypoint");
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOSTNAME", identity.name());
    if (container.getEnv() != null) {
      for (EnvVar var : container.getEnv()) {
        env.put(var.getName(), value(var, identity, env));
      }
    }
    List<String> argv = new ArrayList<>();
    for (String arg : declared) {
      argv.add(local(expand(arg, env), localJars));
    }
    memoryLimit(container).ifPresent(bytes -> argv.add(1, "-XX:MaxRAM=" + bytes));
    String serviceAccount =
        pod.getServiceAccountName() == null ? "default" : pod.getServiceAccountName();
    return new PodProcess(List.copyOf(argv), Map.copyOf(env), serviceAccount);
  }

  private static String value(EnvVar var, Identity identity, Map<String, String> earlier) {
    if (var.getValue() != null) {
      return expand(var.getValue(), earlier);
    }
    if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
      String field = var.getValueFrom().getFieldRef().getFieldPath();
      return switch (field) {
        case "spec.nodeName" -> identity.nodeName();
        case "status.hostIP" -> identity.hostIp();
        case "status.podIP" -> identity.podIp();
        case "metadata.name" -> identity.name();
        case "metadata.namespace" -> identity.namespace();
        default ->
            throw new IllegalArgumentException(
                "env " + var.getName() + ": the lab does not fill in " + field);
      };
    }
    throw new IllegalArgumentException(
        "env " + var.getName() + ": only values and fieldRefs are supported");
  }

  /** The kubelet's $(VAR) expansion: references to variables defined earlier in the list. */
  static String expand(String value, Map<String, String> earlier) {
    String out = value;
    for (Map.Entry<String, String> e : earlier.entrySet()) {
      out = out.replace("$(" + e.getKey() + ")", e.getValue());
    }
    return out;
  }

  private static String local(String arg, Map<String, Path> localJars) {
    if (arg.equals("java")) {
      return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
    for (Map.Entry<String, Path> jar : localJars.entrySet()) {
      if (arg.endsWith("/" + jar.getKey())) {
        return jar.getValue().toString();
      }
    }
    return arg;
  }

  /**
   * A container's memory limit is what its JVM sizes itself by; MaxRAM stands in for the cgroup.
   */
  private static java.util.Optional<Long> memoryLimit(Container container) {
    if (container.getResources() == null || container.getResources().getLimits() == null) {
      return java.util.Optional.empty();
    }
    Quantity memory = container.getResources().getLimits().get("memory");
    return memory == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(Quantity.getAmountInBytes(memory).longValue());
  }
}
