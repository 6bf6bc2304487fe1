package dev.vrrp.agent.keepalived;

import java.util.Map;

/**
 * What the rest of the file says about every instance: the defaults of {@code global_defs}, the
 * {@code vrrp_script}s, {@code track_file}s and {@code vrrp_track_process}es by name, and the sync
 * group of each instance whose tracking weights keepalived ignores (a group without {@code
 * sync_group_tracking_weight}).
 */
record Definitions(
    GlobalDefaults defaults,
    Map<String, TrackScript> scripts,
    Map<String, TrackFile> files,
    Map<String, TrackProcess> processes,
    Map<String, String> weightlessGroups) {}
