/** MessagePack extension type numbers of the value codec (0–127 are ours; -1 is the standard timestamp). */
export const ExtType = {
  undefined: 0,
  bigint: 1,
  map: 2,
  set: 3,
  typedArray: 4,
  blobRef: 5,
  error: 6,
  copyable: 7,
  /** A binary view written once to a file on this machine (see shared-arrays.ts); the wire carries its path. */
  sharedRef: 8,
  ref: 9,
} as const;

/** Extensions whose data is itself one MessagePack value (decoded by the codec's own nested decoder). */
export const NESTED_EXT_TYPES: ReadonlySet<number> = new Set([ExtType.map, ExtType.set, ExtType.error, ExtType.copyable, ExtType.ref]);
