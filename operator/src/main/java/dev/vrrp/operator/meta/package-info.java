/**
 * How the operator signs and reads object metadata, for every other package of the operator: the
 * name it writes under ({@link dev.vrrp.operator.meta.Manager}) and the one reading of the API's
 * timestamps ({@link dev.vrrp.operator.meta.Timestamps}). Depends on nothing else of the operator,
 * so {@code plan}, {@code status} and {@code agents} can share it without depending on each other.
 */
package dev.vrrp.operator.meta;
