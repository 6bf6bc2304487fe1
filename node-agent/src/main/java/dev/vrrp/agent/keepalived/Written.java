package dev.vrrp.agent.keepalived;

import java.util.List;

/** A writer's text, and what it noticed: target-specific differences and what our rules refuse. */
record Written(String text, List<Notice> notices) {}
