package org.pancat.federation;

import java.util.Set;

/** The peers file was reloaded: these peers were added, removed or changed. */
record PeersChanged(Set<String> peers) {}
