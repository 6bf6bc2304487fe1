/**
 * What the operator and the agents agree on besides the resource itself: the agents' defaults, the
 * one JSON mapping of the client, the planned-maintenance rule for a Node, and {@link
 * dev.vrrp.api.Problems}, the field-and-reason list every validation returns. Plain Java; the
 * resource is in {@code v1alpha1}, the parsers in {@code text}, the status words in {@code
 * vocabulary}.
 */
package dev.vrrp.api;
