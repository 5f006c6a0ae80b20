package org.pancat.harvest;

/** Reads one kind of source and hands each item to the run. */
interface Harvester {
  /** The source kind it reads: oci, apt or cvmfs. */
  String kind();

  /**
   * Reads the source and writes or reports every item through {@code run}.
   *
   * @throws HarvestRefused when the source as a whole cannot be trusted or read (a bad signature,
   *     an unreachable registry): nothing of it has been written then
   */
  void harvest(RunContext run);
}
