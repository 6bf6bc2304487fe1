/**
 * The VirtualIP resource ({@code vrrp.dev/v1alpha1}): spec, status and the agents' entries, with
 * the CRD generated from these classes (CEL rules included), {@link
 * dev.vrrp.api.v1alpha1.SpecRules} (the same rules in Java, the one owner both the operator and the
 * agent call) and {@link dev.vrrp.api.v1alpha1.NodeEntryPatch} (the one way an agent writes its
 * entry).
 */
package dev.vrrp.api.v1alpha1;
