package dev.vrrp.api.v1alpha1;

/**
 * The name the operator writes under, beside the agents' ({@link NodeEntryPatch#fieldManager}): a
 * VirtualIP's status has one server-side apply field manager per writer, the operator for the
 * summary and each agent for its own {@code status.nodes[]} entry, which is what keeps them from
 * overwriting each other. It lives here rather than in the operator so that this module's tests of
 * that split apply under the operator's real name.
 */
public final class OperatorManager {
  /**
   * The operator as the author of what it writes: the server-side apply field manager of its status
   * fields, the finalizer and the agent DaemonSet; the reporting component of its Events; the
   * {@code app.kubernetes.io/managed-by} label of the DaemonSet, which is how the operator
   * recognizes the DaemonSet as its own before deleting it. Changing it leaves the fields applied
   * under the old name owned by nobody the operator knows.
   *
   * <p>Neither the leader-election Lease ({@code OperatorSettings.LEASE_NAME}) nor the application
   * label ({@code AgentDaemonSet.PART_OF}): they have the same value for reasons of their own,
   * written beside them.
   */
  public static final String NAME = "vrrp-operator";

  private OperatorManager() {}
}
