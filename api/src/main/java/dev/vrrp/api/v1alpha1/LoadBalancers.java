package dev.vrrp.api.v1alpha1;

/**
 * The names by which LoadBalancer Services and the VirtualIPs made for them meet: the Service's
 * class and annotations a user writes, the labels and annotation the operator puts on each
 * VirtualIP it creates for a Service.
 */
public final class LoadBalancers {
  /** {@code spec.loadBalancerClass} of the Services this operator serves. */
  public static final String CLASS = "vrrp.dev/virtual-ip";

  /** The addresses a Service asks for, comma-separated, one per family. */
  public static final String ADDRESSES_ANNOTATION = "vrrp.dev/addresses";

  /** The pool a Service draws its addresses from. */
  public static final String POOL_ANNOTATION = "vrrp.dev/pool";

  /** Services with the same key (and rules that allow it) share an address. */
  public static final String SHARED_IP_ANNOTATION = "vrrp.dev/allow-shared-ip";

  /** On a Service's VirtualIP: the namespace of the Service that got it first. */
  public static final String SERVICE_NAMESPACE_LABEL = "vrrp.dev/service-namespace";

  /** On a Service's VirtualIP: the name of the Service that got it first. */
  public static final String SERVICE_NAME_LABEL = "vrrp.dev/service-name";

  /** On a Service's VirtualIP: every Service using it, as namespace/name, comma-separated. */
  public static final String SERVICES_ANNOTATION = "vrrp.dev/services";

  /** On a Service's VirtualIP: the pool the address came from. */
  public static final String POOL_LABEL = "vrrp.dev/pool";

  /**
   * On a Service's VirtualIP while its master (a node that lost its endpoint, externalTrafficPolicy
   * Local) waits for a new node to report before it resigns: when the wait began (RFC 3339).
   */
  public static final String HANDOVER_ANNOTATION = "vrrp.dev/handover-since";

  /**
   * The Service's {@code spec.externalTrafficPolicy} that keeps traffic on nodes with endpoints.
   */
  public static final String LOCAL_TRAFFIC_POLICY = "Local";

  private LoadBalancers() {}
}
