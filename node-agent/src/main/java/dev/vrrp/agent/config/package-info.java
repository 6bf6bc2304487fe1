/**
 * The standalone configuration: {@link dev.vrrp.agent.config.ConfigLoader} reads the file into
 * {@link dev.vrrp.agent.config.InstanceSettings}, the one description of an instance that the
 * Kubernetes path builds too, reporting every problem with its path in the file. Pure.
 */
package dev.vrrp.agent.config;
