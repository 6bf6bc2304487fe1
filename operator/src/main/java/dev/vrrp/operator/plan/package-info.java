/**
 * The cluster plan: which nodes each VirtualIP selects, its VRID and node priorities, or why it is
 * refused. VRIDs and ranking are global, so the plan is computed, purely, from all VirtualIPs and
 * Nodes at once on the planner's own thread; reconciles only look their plan up.
 */
package dev.vrrp.operator.plan;
