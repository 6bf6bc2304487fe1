/**
 * What the operator says about a VirtualIP: the status summary folded from the agents' entries,
 * when it is written, its Events, and when a deleted one may lose its finalizer. Kept together
 * because they share one notion of a fresh entry and one rule: the operator writes its own status
 * fields, never the agents' {@code status.nodes}.
 */
package dev.vrrp.operator.status;
