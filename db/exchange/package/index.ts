/**
 * The exchange package container (`.xzpkg`, docs/exchange-format.md §4): a signed plaintext
 * header readable without keys, and an age v1 payload holding a stream of JSON records and
 * file blobs. Independent of the ledger: what the records mean is the caller's business.
 *
 *   writePackage  — stream entries into a new package, atomically (never half-written);
 *   readHeader    — the header, checked in form, without any key (inspect, choose the key);
 *   verifyPackage — signature against trusted keys, then the payload's SHA-256;
 *   openPackage   — decrypt and parse entries as they stream, within limits;
 *   readAll       — everything in memory (tests, small packages).
 *
 * Nothing here uses a name or path from inside a package on disk: there are none in the
 * format (blobs are addressed by SHA-256 only). Every failure is a DomainError whose `reason`
 * is in PACKAGE_ERROR_REASONS or, passed through from the age layer, AGE_ERROR_REASONS.
 */
export { DEFAULT_LIMITS, jsonFrame, type Entry, type Limits, type ReadEntry } from './entries.js';
export { ALL_PACKAGE_REASONS, PACKAGE_ERROR_REASONS, PackageError, type PackageErrorReason } from './errors.js';
export {
  FORMAT_VERSION, MAGIC, MAX_HEADER_BYTES, READABLE_VERSIONS, type Encryption, type FormatVersion, type PackageHeader, type PackageHeaderInput, type PackageKind,
} from './header.js';
export {
  openPackage, readAll, readHeader, verifyPackage, verifySignature, type OpenOptions, type PackageIdentities, type ReadAllEntry, type TrustedKeys,
} from './read.js';
export { writePackage, type WriteOptions, type WrittenPackage } from './write.js';
export { packageDigest } from './container.js';
