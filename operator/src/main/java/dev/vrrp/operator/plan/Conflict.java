package dev.vrrp.operator.plan;

import dev.vrrp.api.vocabulary.Reason;

/**
 * Why a VirtualIP is not installed on any node: a CamelCase reason for the {@code Conflict}
 * condition and a message that names the other party and what to change: AddressConflict (an
 * earlier VirtualIP claims the address), VridConflict (an explicit VRID is in use on a shared
 * node), VridExhausted (all VRIDs of the nodes are in use), NodeAddress (a node's own address).
 */
public record Conflict(Reason reason, String message) {}
