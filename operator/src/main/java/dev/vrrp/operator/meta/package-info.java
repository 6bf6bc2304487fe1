/**
 * How the operator reads object metadata, for every other package of the operator: the one reading
 * of the API's timestamps ({@link dev.vrrp.operator.meta.Timestamps}). The name it writes under is
 * api's {@link dev.vrrp.api.v1alpha1.OperatorManager}, beside the agents'. Depends on nothing else
 * of the operator, so {@code plan}, {@code status} and {@code agents} can share it without
 * depending on each other.
 */
package dev.vrrp.operator.meta;
