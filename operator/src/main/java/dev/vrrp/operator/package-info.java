/**
 * The operator process: command line, settings, metrics, HTTP endpoints and the java-operator-sdk
 * controller that wires {@link dev.vrrp.operator.plan}, {@link dev.vrrp.operator.status} and {@link
 * dev.vrrp.operator.agents} together. Only this package knows JOSDK and leader election, so the
 * planning, status and DaemonSet rules can be read and tested without them.
 */
package dev.vrrp.operator;
