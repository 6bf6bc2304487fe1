/**
 * The agent in a cluster: the watches of VirtualIPs and Nodes ({@link
 * dev.vrrp.agent.kubernetes.ClusterWatch}), the Secrets and routes it looks up ({@link
 * dev.vrrp.agent.kubernetes.HostLookups}), the decision per VirtualIP for this node ({@link
 * dev.vrrp.agent.kubernetes.InstancePlan}, pure), the reconciler that turns decisions into
 * instances on one worker thread ({@link dev.vrrp.agent.kubernetes.AgentReconciler}, unit tested
 * without an API server), this node's status entries ({@link dev.vrrp.agent.kubernetes.Entries},
 * {@link dev.vrrp.agent.kubernetes.StatusReporter}) and the plan saved on the node for an API
 * outage ({@link dev.vrrp.agent.kubernetes.SavedPlan}).
 */
package dev.vrrp.agent.kubernetes;
