/**
 * The words of a VirtualIP's status, once: node states, condition types and statuses, and the
 * CamelCase reasons of conditions and Events. The agents write them, the operator aggregates them,
 * the tests and {@code kubectl get vips} read them.
 */
package dev.vrrp.api.vocabulary;
