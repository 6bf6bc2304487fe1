/**
 * LoadBalancer Services on VRRP addresses: which address a Service gets from the pools ({@link
 * dev.vrrp.operator.services.AddressAllocator}, pure and derived from what the API holds, so a
 * restart or a new leader never hands an address out twice).
 */
package dev.vrrp.operator.services;
