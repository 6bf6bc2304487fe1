/**
 * The agent's admin endpoint: {@code /healthz} (liveness: the process answers), {@code /readyz} (it
 * can do its job: libpcap loads, raw sockets work, it has decided its plan once), {@code /metrics}
 * and {@code /state} (the instances as JSON), on the paths of {@code dev.vrrp.api.http}.
 */
package dev.vrrp.agent.admin;
