package dev.vrrp.agent.keepalived;

import java.util.List;

/** What the converter made of a keepalived.conf, before it is written in one of our forms. */
record Conversion(
    List<ImportedInstance> instances, List<VirtualServer> virtualServers, List<Notice> notices) {}
