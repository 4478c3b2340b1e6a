/**
 * The node flag our processes start with: one V8 helper thread each instead of
 * Node's four. A cluster runs several busy processes per core (a controller, a
 * server, its executors), and the helpers of all of them (TurboFan, GC) fought
 * the main threads for the cores. Measured on 2 cores: a fresh cluster's first
 * set 44,500 → 46,500 tasks/s (medians of 16, alternating), warm sets and the
 * other figures the same or better. Node reads it only at start, so whoever
 * starts the process passes it.
 */
export const SMALL_V8_POOL = '--v8-pool-size=1';
