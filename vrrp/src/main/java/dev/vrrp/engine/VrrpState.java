package dev.vrrp.engine;

/**
 * RFC 5798 6.4 states, plus FAULT (keepalived's): a node whose health checks say it must not serve.
 */
public enum VrrpState {
  INITIALIZE,
  BACKUP,
  MASTER,
  FAULT
}
