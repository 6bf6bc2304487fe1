package dev.vrrp.operator.meta;

/** The name the operator writes under. */
public final class Manager {
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

  private Manager() {}
}
