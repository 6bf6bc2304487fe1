/**
 * The small HTTP face the operator and the agents share (probes, /metrics, /state): one server, so
 * both answer, fail and stop the same way.
 */
package dev.vrrp.api.http;
