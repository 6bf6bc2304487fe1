/**
 * The words of a VirtualIP's status, once: node states, condition types and statuses, and the
 * CamelCase reasons of conditions and Events. The agents write them, the operator aggregates them,
 * the tests and {@code kubectl get vips} read them. Each is a {@link dev.vrrp.api.vocabulary.Word}:
 * its wire form and the one comparison with it.
 */
package dev.vrrp.api.vocabulary;
