/**
 * Running instances: one event loop per interface ({@link dev.vrrp.agent.loop.InterfaceLoop}) feeds
 * the pure engine its packets, timers and health, and carries out its actions on the host: the
 * addresses ({@link dev.vrrp.agent.loop.AddressKeeper}, with the first-claim probe and the kernel
 * lease), advertisements and announcements. {@link dev.vrrp.agent.loop.NodeAgent} is the facade
 * both modes use; every scheduled task logs what it throws ({@link
 * dev.vrrp.agent.loop.LoggingScheduler}).
 */
package dev.vrrp.agent.loop;
