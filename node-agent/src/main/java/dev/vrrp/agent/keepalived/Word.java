package dev.vrrp.agent.keepalived;

/**
 * One word of a statement, without its quotes.
 *
 * @param quoted whether it was written in double quotes (a script with its arguments)
 */
public record Word(String text, boolean quoted, Location at) {}
