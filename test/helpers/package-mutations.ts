/**
 * Mutated exchange packages given to a real ledger's import (one declaration for
 * test/exchange/import-fuzz.test.ts and bench/exchange-fuzz.ts).
 *
 * The world: an inspected unit (sender) and an inspection office (receiver) that confirmed each
 * other's cards, on encrypted ledger files. The unit files problems and tasks and attaches an
 * evidence file, and exports one real package to the inspection office. Two copies of the
 * receiver: `fresh` has not imported it (so any mutation that slipped through would apply: a
 * partial import would show), `applied` has (so a mutated copy must not pass as "already applied").
 *
 * A case is either some byte mutations (flipped, cut, inserted, deleted) at positions in the
 * prefix, header, signature, age header, payload body or payload end; or payload mutations under a
 * header the real sender re-signed; or one of the structured packages (a header re-signed by an
 * unconfirmed or unknown key, a header naming an unconfirmed or unknown office, a header signed by
 * the real sender that lies about the payload, the header of the sender's next package spliced onto
 * this payload, a receipt, records from the sender that break the ledger's rules, the original
 * again = a replay). `checkCase` gives it to previewPackage and importPackage
 * (db/exchange/transfer.ts): the original bytes preview cleanly and import as a no-op where already
 * applied; anything else must be refused by both with the same DomainError of a known reason. The receiving ledger's fingerprint (every row of every table,
 * test/helpers/ledger-fingerprint.ts) must be unchanged after each call. A violation throws a plain
 * Error (no vitest here: the bench runs it too).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { fixedClock } from '../../db/core/clock.js';
import type { ActingUser, ServiceContext } from '../../db/core/context.js';
import { inTransaction } from '../../db/core/context.js';
import { seededRandom, uuidv7Source } from '../../db/core/ids.js';
import { openLedger, type Ledger } from '../../db/core/open.js';
import { getRow, updateRow } from '../../db/core/write.js';
import type { OfficeKind } from '../../db/domain/enums.js';
import { DomainError, ERROR_CODES } from '../../db/domain/errors.js';
import { fingerprintOf, generateKeyPairs, signBytes, writeCard } from '../../db/exchange/identity.js';
import { ALL_PACKAGE_REASONS, FORMAT_VERSION, readAll, writePackage, type Entry } from '../../db/exchange/package/index.js';
import { signedMessage } from '../../db/exchange/package/header.js';
import { exportPackage, importPackage, previewPackage, writeReceipt } from '../../db/exchange/transfer.js';
import { tasks } from '../../db/schema/index.js';
import { addEvidence } from '../../db/services/evidence.js';
import { login, setupLedger } from '../../db/services/office.js';
import { addPartner, ensureOwnKey, exportCard, ownSecret } from '../../db/services/partners.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from './fixtures.js';
import { ledgerFingerprint } from './ledger-fingerprint.js';

// ---- byte mutations ---------------------------------------------------------------------------

export type Mutation =
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number };

export function mutate(bytes: Buffer, m: Mutation): Buffer {
  const at = Math.max(0, Math.min(m.at, bytes.length - 1));
  switch (m.kind) {
    case 'flip': {
      const copy = Buffer.from(bytes);
      if (copy.length > 0) copy[at]! ^= m.mask;
      return copy;
    }
    case 'cut':
      return bytes.subarray(0, at);
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
  }
}

/** A named [start, end) range of the package's bytes. */
export interface Region { name: string; start: number; end: number }

/** A mutation at a position drawn from one of the regions (each region equally likely). */
export const mutationIn = (regions: readonly Region[]): fc.Arbitrary<Mutation> =>
  fc.constantFrom(...regions).chain(({ start, end }) => {
    const at = fc.integer({ min: start, max: end - 1 });
    return fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at, mask: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at }),
      fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
      fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 16 }) }),
    );
  });

/**
 * The parts of a package file (docs/exchange-format.md 4.1): the 11-byte prefix, the header, the
 * signature (length and bytes), the age header (up to its MAC line), the encrypted stream, and its
 * last 64 bytes (the final chunk's end and tag).
 */
export function packageRegions(bytes: Buffer): Region[] {
  const h = bytes.readUInt32BE(7);
  const payload = 77 + h;
  const macLine = bytes.indexOf('\n--- ', payload);
  const ageEnd = bytes.indexOf('\n', macLine + 1) + 1;
  if (macLine < 0 || ageEnd <= macLine) throw new Error('package without an age header');
  const tail = bytes.length - 64;
  return [
    { name: 'prefix', start: 0, end: 11 },
    { name: 'header', start: 11, end: 11 + h },
    { name: 'signature', start: 11 + h, end: payload },
    { name: 'age header', start: payload, end: ageEnd },
    { name: 'payload', start: ageEnd, end: tail },
    { name: 'payload end', start: tail, end: bytes.length },
  ];
}

/** The header of a package as parsed JSON (trailing padding removed). */
function headerOf(bytes: Buffer): Record<string, unknown> & { sender: Record<string, unknown>; payload: { length: number; sha256: string } } {
  const h = bytes.readUInt32BE(7);
  return JSON.parse(bytes.subarray(11, 11 + h).toString('utf8')) as ReturnType<typeof headerOf>;
}

/** `header` (as given) signed by `key`, followed by `payload`: a well-formed package file. */
function signedPackage(header: unknown, key: { publicKey: Buffer; secretKey: Buffer }, payload: Buffer): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(11);
  Buffer.from('XZPKG\n', 'latin1').copy(prefix, 0);
  prefix[6] = FORMAT_VERSION;
  prefix.writeUInt32BE(headerBytes.length, 7);
  const sigLength = Buffer.alloc(2);
  sigLength.writeUInt16BE(64, 0);
  const signature = signBytes(key.publicKey, key.secretKey, signedMessage(FORMAT_VERSION, headerBytes));
  return Buffer.concat([prefix, headerBytes, sigLength, signature, payload]);
}

const payloadOf = (bytes: Buffer) => bytes.subarray(77 + bytes.readUInt32BE(7));

// ---- the world --------------------------------------------------------------------------------

/** Refusals the ledger side adds to the container's (db/exchange/transfer.ts, db/exchange/apply.ts). */
export const LEDGER_IMPORT_REASONS = [
  'package_kind', // a receipt given to 导入交换包 (or the reverse)
  'package_not_for_us', // the header names no key of this office
  'package_record', // a record or the offices list breaks the schema
  'package_reference', // a record refers to something neither here nor in the package
  'package_office', // a record names an office the package does not list
  'needs_deletion_confirmation', // many tombstones, not confirmed
  'package_replay_mismatch', // the id of a package applied here, but another file
  'package_changed', // the file changed between the import's two passes
] as const;
/**
 * Every reason a refused import may give. `busy` is not one: calls here run one at a time, so it
 * would mean an earlier failed import left the ledger marked busy.
 */
export const KNOWN_IMPORT_REASONS: ReadonlySet<string> = new Set([...ALL_PACKAGE_REASONS, ...LEDGER_IMPORT_REASONS]);

const PASSWORD = 'fuzz-jiaohuan-2024';
/** Where that package was applied, a sender-signed header keeping its id but not its digest is refused so first. */
const REUSED_ID = ['package_replay_mismatch'] as const;

interface Office { ledger: Ledger; ctx: ServiceContext; id: string; path: string; key: Buffer }

export interface Receiver {
  name: 'fresh' | 'applied';
  ctx: ServiceContext;
  ledger: Ledger;
  /** The fingerprint every refused package must leave unchanged. */
  fingerprint: string;
}

export interface StructuredPackage {
  name: string;
  bytes: Buffer;
  /** The reasons this one may be refused with (empty: the original bytes, not refused). */
  reasons: readonly string[];
  /** Given only to this receiver (the applied one holds the file already, and the record it would refuse). */
  only?: 'fresh' | 'applied';
}

export interface ImportFuzzWorld {
  dir: string;
  /** The package as the sender exported it. */
  original: Buffer;
  regions: Region[];
  fresh: Receiver;
  applied: Receiver;
  /** Records the original package brings to a ledger that has none of them. */
  newRecords: number;
  /** The original package's id (its header's packageId). */
  originalId: string;
  structured: StructuredPackage[];
  /** The original header with `payload` in place of its own, signed by the sender's real key. */
  signedBySender(payload: Buffer): Buffer;
  close(): void;
}

function office(dir: string, file: string, name: string, kind: OfficeKind, clock: ReturnType<typeof fixedClock>, seed: number): Office {
  const path = join(dir, `${file}.sqlite`);
  const key = randomBytes(32);
  const ledger = openLedger(path, { key });
  const ids = uuidv7Source(() => clock.now(), seededRandom(seed));
  const as = (user: ActingUser | null): ServiceContext => ({ ledger, clock, ids, user });
  const { officeId } = setupLedger(as(null), { officeName: name, officeKind: kind, level: 'province', adminUsername: 'admin', adminDisplayName: '管理员', adminPassword: PASSWORD });
  return { ledger, ctx: as(login(as(null), { username: 'admin', password: PASSWORD })), id: officeId, path, key };
}

/** A card for an office that exists nowhere but in this card (a stranger), and its keys. */
function strangerCard(name: string, id: string) {
  const keys = generateKeyPairs();
  const office = { id, name, kind: 'inspection_office' as const, level: 'city' as const };
  const card = writeCard(office, keys, '2024-09-01T00:00:00.000Z');
  return { keys, card, office, fingerprint: fingerprintOf(id, keys.signPublic, keys.agreePublic) };
}

/**
 * Build the world in a new temporary folder. `evidenceBytes`: the size of the attached file
 * (default 100 000: the payload spans two age chunks); `problems`: problems filed, one task each.
 */
export async function makeImportFuzzWorld(o: { evidenceBytes?: number; problems?: number } = {}): Promise<ImportFuzzWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'xz-import-fuzz-'));
  const clock = fixedClock('2024-09-01');
  const opened: Ledger[] = [];
  try {
    const insp = office(dir, 'receiver', '某省委巡视办', 'inspection_office', clock, 31);
    const unit = office(dir, 'sender', '某某集团有限公司巡视整改工作领导小组办公室', 'inspected_unit', clock, 32);
    opened.push(insp.ledger, unit.ledger);
    const ci = exportCard(insp.ctx);
    const cu = exportCard(unit.ctx);
    addPartner(unit.ctx, { card: ci.text, fingerprint: ci.fingerprint });
    addPartner(insp.ctx, { card: cu.text, fingerprint: cu.fingerprint });

    // The inspection office sends the round, unit and inspection down; the unit files problems,
    // tasks and a file, and sends them up: the package under test.
    const base = inTransaction(insp.ctx, () => {
      const round = fxRound(insp.ctx);
      const u = fxUnit(insp.ctx);
      const { inspection, feedback } = fxInspection(insp.ctx, { roundId: round.id, unitId: u.id });
      return { round, unit: u, inspection, feedback };
    });
    await importPackage(unit.ctx, (await exportPackage(insp.ctx, { partnerId: unit.id, dir })).path);
    const filed = inTransaction(unit.ctx, () => Array.from({ length: o.problems ?? 3 }, (_, i) => {
      const p = fxProblem(unit.ctx, { unitId: base.unit.id, categoryId: categoryId(unit.ctx, '廉洁风险'), roundId: base.round.id, inspectionId: base.inspection.id, feedbackId: base.feedback.id, seq: i + 1 });
      return fxTask(unit.ctx, { problemId: p.id, unitId: base.unit.id, roundId: base.round.id });
    }));
    const file = randomBytes(o.evidenceBytes ?? 100_000);
    file.write('整改佐证材料', 0);
    addEvidence(unit.ctx, { ownerType: 'task', ownerId: filed[0]!.id, fileName: '整改报告.pdf', mimeType: 'application/pdf', formedOn: '2024-08-30', dataBase64: file.toString('base64') });
    const x = await exportPackage(unit.ctx, { partnerId: insp.id, dir });
    const original = readFileSync(x.path);

    // The sender's next package (for the splice), and the sender's own key (a lying header).
    clock.advance(60_000);
    inTransaction(unit.ctx, () => updateRow(unit.ctx, tasks, getRow(unit.ctx, tasks, filed[0]!.id)!, { measures: '修订后的整改措施。' }));
    const next = readFileSync((await exportPackage(unit.ctx, { partnerId: insp.id, dir })).path);
    const own = ensureOwnKey(unit.ctx);
    const senderKey = { publicKey: Buffer.from(own.signPublic, 'base64'), secretKey: ownSecret(own).signSecret };

    // At the receiver: a second key for the sender's office, added but not confirmed; a stranger
    // office added but not confirmed; and an office it never heard of.
    const pending = generateKeyPairs();
    addPartner(insp.ctx, { card: writeCard({ id: unit.id, name: '某某集团有限公司巡视整改工作领导小组办公室', kind: 'inspected_unit', level: 'province' }, pending, '2024-09-01T00:00:00.000Z') });
    const stranger = strangerCard('某市委巡察办', '01920000-0000-7000-8000-00000000a001');
    addPartner(insp.ctx, { card: stranger.card });
    const unknown = strangerCard('某县委巡察办', '01920000-0000-7000-8000-00000000a002');

    // The applied copy: the same receiver after importing the original (and writing its receipt).
    insp.ledger.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const appliedPath = join(dir, 'receiver-applied.sqlite');
    insp.ledger.sqlite.prepare('VACUUM INTO ?').run(appliedPath);
    const appliedLedger = openLedger(appliedPath, { key: insp.key });
    opened.push(appliedLedger);
    const appliedCtx: ServiceContext = { ledger: appliedLedger, clock, ids: uuidv7Source(() => clock.now(), seededRandom(33)), user: insp.ctx.user };
    const imported = await importPackage(appliedCtx, x.path);
    if (imported.alreadyApplied || imported.preview.counts.new < 4) throw new Error(`the original package did not apply: ${JSON.stringify(imported.preview.counts)}`);
    const haveFile = appliedLedger.sqlite.prepare('SELECT data FROM evidence_blobs WHERE sha256 = ?').get(createHash('sha256').update(file).digest('hex')) as { data: Buffer } | undefined;
    if (!haveFile?.data.equals(file)) throw new Error('the evidence file did not arrive');
    const receipt = readFileSync((await writeReceipt(appliedCtx, { packageId: x.packageId, dir })).path);

    const h = headerOf(original);
    const resigned = (header: unknown, key: { publicKey: Buffer; secretKey: Buffer }) => signedPackage(header, key, payloadOf(original));
    const asKey = (k: { signPublic: Buffer; signSecret: Buffer }) => ({ publicKey: k.signPublic, secretKey: k.signSecret });
    const nextHeader = next.subarray(0, 77 + next.readUInt32BE(7));
    const structured: StructuredPackage[] = [
      { name: 'original (a replay where already applied)', bytes: original, reasons: [] },
      { name: 'same header, re-signed by a key nobody knows', bytes: resigned(h, asKey(generateKeyPairs())), reasons: ['package_signature'] },
      { name: 'same header, re-signed by a second key of the sender, added but not confirmed', bytes: resigned(h, asKey(pending)), reasons: ['package_signature'] },
      {
        name: 'header naming an office added but not confirmed, signed by its key',
        bytes: resigned({ ...h, sender: { officeId: stranger.office.id, name: stranger.office.name, kind: stranger.office.kind, level: stranger.office.level, fingerprint: stranger.fingerprint } }, asKey(stranger.keys)),
        reasons: ['package_unknown_sender'],
      },
      {
        name: 'header naming an office never seen, signed by its key',
        bytes: resigned({ ...h, sender: { officeId: unknown.office.id, name: unknown.office.name, kind: unknown.office.kind, level: unknown.office.level, fingerprint: unknown.fingerprint } }, asKey(unknown.keys)),
        reasons: ['package_unknown_sender'],
      },
      {
        name: 'header signed by the sender, payload hash wrong',
        bytes: resigned({ ...h, payload: { ...h.payload, sha256: createHash('sha256').update('another payload').digest('hex') } }, senderKey),
        reasons: ['package_payload_hash', ...REUSED_ID],
      },
      { name: 'header signed by the sender, payload one byte longer than said', bytes: resigned({ ...h, payload: { ...h.payload, length: h.payload.length - 1 } }, senderKey), reasons: ['package_trailing_data', ...REUSED_ID] },
      { name: 'header signed by the sender, payload one byte shorter than said', bytes: resigned({ ...h, payload: { ...h.payload, length: h.payload.length + 1 } }, senderKey), reasons: ['package_truncated', ...REUSED_ID] },
      { name: 'the header of the sender’s next package on this payload', bytes: Buffer.concat([nextHeader, payloadOf(original)]), reasons: ['package_truncated', 'package_trailing_data', 'package_payload_hash'] },
      { name: 'a receipt given to 导入交换包', bytes: receipt, reasons: ['package_kind'] },
    ];

    // A hostile (or broken) sender: its real key signs, the payload is encrypted to the receiver,
    // the container is sound, and what is inside breaks the ledger's rules.
    const receiverKey = ensureOwnKey(insp.ctx);
    const { header: oh, entries } = await readAll(x.path, [ownSecret(receiverKey).agreeSecret]);
    let hostileN = 0;
    const fromSender = async (change: (es: Entry[]) => Entry[], recipients = oh.recipients): Promise<Buffer> => {
      const path = join(dir, `hostile-${++hostileN}.xzpkg`);
      await writePackage({
        path, header: { packageId: unit.ctx.ids.next(), kind: 'changes', sender: oh.sender, recipients, createdAt: oh.createdAt, scope: oh.scope, counts: oh.counts },
        sign: senderKey, to: { x25519: [Buffer.from(receiverKey.agreePublic, 'base64')] }, entries: change(structuredClone(entries)),
      });
      return readFileSync(path);
    };
    type Rec = { t: string; table: string; id: string; origin: string; row: Record<string, unknown> };
    const isRec = (e: Entry, table?: string): e is { type: 'json'; value: Rec } => e.type === 'json' && (e.value as Rec).t === 'record' && (!table || (e.value as Rec).table === table);
    const editFirst = (table: string, f: (r: Rec) => void) => (es: Entry[]) => {
      const e = es.find((x) => isRec(x, table));
      if (!e) throw new Error(`no ${table} record in the package`);
      f((e as { value: Rec }).value);
      return es;
    };
    const other = randomBytes(1000);
    structured.push(
      { name: 'from the sender: evidence without its file', bytes: await fromSender((es) => es.filter((e) => e.type !== 'blob')), reasons: ['package_reference'], only: 'fresh' },
      {
        name: 'from the sender: evidence with another file in place of its own',
        bytes: await fromSender((es) => es.map((e): Entry => (e.type === 'blob' ? { type: 'blob', sha256: createHash('sha256').update(other).digest('hex'), size: other.length, data: other } : e))),
        reasons: ['package_reference'], only: 'fresh',
      },
      { name: 'from the sender: a record of a table that is not exchanged', bytes: await fromSender(editFirst('tasks', (r) => { r.table = 'users'; })), reasons: ['package_record'] },
      { name: 'from the sender: a record with a field that does not exist', bytes: await fromSender(editFirst('tasks', (r) => { r.row.extra = 1; })), reasons: ['package_record'] },
      { name: 'from the sender: a record with a value of the wrong type', bytes: await fromSender(editFirst('tasks', (r) => { r.row.deadline = 20240430; })), reasons: ['package_record'] },
      { name: 'from the sender: a record referring to a record that exists nowhere', bytes: await fromSender(editFirst('tasks', (r) => { r.row.problemId = '01920000-0000-7000-8000-00000000dead'; })), reasons: ['package_reference'] },
      // Where the record exists already its origin is not read again (the package then changes nothing): fresh only.
      { name: 'from the sender: a record made by an office nobody knows', bytes: await fromSender(editFirst('tasks', (r) => { r.origin = '01920000-0000-7000-8000-00000000beef'; })), reasons: ['package_office'], only: 'fresh' },
      { name: 'from the sender: an offices list of the wrong form', bytes: await fromSender((es) => [{ type: 'json', value: { t: 'offices', offices: '某单位' } }, ...es.slice(1)]), reasons: ['package_record'] },
      // The format puts records before files; the importer writes the records once the first file comes.
      // (The evidence record: nothing else refers to it, so the records before the files plan cleanly.)
      { name: 'from the sender: a record after the files', bytes: await fromSender((es) => { const i = es.findIndex((e) => isRec(e, 'evidence')); return [...es.slice(0, i), ...es.slice(i + 1), es[i]!]; }), reasons: ['package_record'] },
      { name: 'from the sender: a JSON entry that is not a record', bytes: await fromSender((es) => [...es.slice(0, 2), { type: 'json', value: 42 }, ...es.slice(2)]), reasons: ['package_record'] },
      {
        name: 'from the sender: header addressed to another office, payload to this one',
        bytes: await fromSender((es) => es, [{ officeId: stranger.office.id, name: stranger.office.name, fingerprint: stranger.fingerprint, seq: 1 }]),
        reasons: ['package_not_for_us'],
      },
    );

    const fresh: Receiver = { name: 'fresh', ctx: insp.ctx, ledger: insp.ledger, fingerprint: ledgerFingerprint(insp.ledger) };
    const applied: Receiver = { name: 'applied', ctx: appliedCtx, ledger: appliedLedger, fingerprint: ledgerFingerprint(appliedLedger) };
    unit.ledger.close();
    opened.splice(opened.indexOf(unit.ledger), 1);
    return {
      dir, original, regions: packageRegions(original), fresh, applied, newRecords: imported.preview.counts.new, originalId: x.packageId, structured,
      signedBySender: (payload) => signedPackage({ ...h, payload: { length: payload.length, sha256: createHash('sha256').update(payload).digest('hex') } }, senderKey, payload),
      close() {
        for (const l of opened.splice(0)) l.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    for (const l of opened) l.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

// ---- cases and the check ------------------------------------------------------------------------

/**
 * `mutations`: bytes of the file changed anywhere (caught by the container: form, signature,
 * length, payload hash). `payloadMutations`: bytes of the encrypted payload changed, then the
 * header rewritten to the new length and hash and signed by the sender's real key (a hostile or
 * broken sender): these pass the signature and reach age's decryption, the entry parser and the
 * ledger's record checks. `structured`: one of the world's structured packages.
 */
export type FuzzCase =
  | { target: 'fresh' | 'applied'; mutations: Mutation[] }
  | { target: 'fresh' | 'applied'; payloadMutations: Mutation[] }
  | { target: 'fresh' | 'applied'; structured: number };

/** Of 20 cases: 14 file mutations, 5 re-signed payload mutations, 1 structured package. */
export function fuzzCase(w: ImportFuzzWorld): fc.Arbitrary<FuzzCase> {
  const target = fc.constantFrom('fresh' as const, 'applied' as const);
  const p = w.regions.find((r) => r.name === 'age header')!.start;
  const inPayload = w.regions.filter((r) => r.start >= p).map((r) => ({ ...r, start: r.start - p, end: r.end - p }));
  return fc.oneof(
    { weight: 14, arbitrary: fc.record({ target, mutations: fc.array(mutationIn(w.regions), { minLength: 1, maxLength: 3 }) }) },
    { weight: 5, arbitrary: fc.record({ target, payloadMutations: fc.array(mutationIn(inPayload), { minLength: 1, maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ target, structured: fc.integer({ min: 0, max: w.structured.length - 1 }) }) },
  );
}

type Settled<T> = { ok: true; value: T } | { ok: false; reason: string; code: string };

/** The call's result, or its refusal; anything but a DomainError with a known code and reason is a failure. */
async function settle<T>(what: string, p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    if (!(e instanceof DomainError)) throw new Error(`${what}: not a DomainError: ${e instanceof Error ? e.stack : String(e)}`, { cause: e });
    if (!(ERROR_CODES as readonly string[]).includes(e.code) || !KNOWN_IMPORT_REASONS.has(e.reason ?? '')) {
      throw new Error(`${what}: unknown code or reason ${e.code}/${String(e.reason)}: ${e.message}`, { cause: e });
    }
    return { ok: false, reason: e.reason!, code: e.code };
  }
}

function unchanged(r: Receiver, after: string): void {
  if (r.ledger.sqlite.inTransaction) throw new Error(`${after}: a transaction was left open on the ${r.name} ledger`);
  if (ledgerFingerprint(r.ledger) !== r.fingerprint) throw new Error(`${after}: the ${r.name} ledger changed`);
}

/** The case's class, for the statistics. */
export const caseKind = (c: FuzzCase): 'file' | 'payload, re-signed' | 'structured' =>
  'structured' in c ? 'structured' : 'mutations' in c ? 'file' : 'payload, re-signed';

/** The bytes a case gives to the receiver. */
export function caseBytes(w: ImportFuzzWorld, c: FuzzCase): Buffer {
  if ('structured' in c) return w.structured[c.structured]!.bytes;
  if ('mutations' in c) return c.mutations.reduce(mutate, w.original);
  const payload = w.original.subarray(w.regions.find((r) => r.name === 'age header')!.start);
  const changed = c.payloadMutations.reduce(mutate, payload);
  return changed.equals(payload) ? w.original : w.signedBySender(changed);
}

/**
 * Write the case's package to `path`, preview and import it at its receiver, check the property;
 * the outcome (a reason, or what succeeded) for the statistics. Throws on any violation.
 */
export async function checkCase(w: ImportFuzzWorld, c: FuzzCase, path = join(w.dir, 'case.xzpkg')): Promise<string> {
  const bytes = caseBytes(w, c);
  writeFileSync(path, bytes);
  const target = 'structured' in c ? (w.structured[c.structured]!.only ?? c.target) : c.target;
  const r = target === 'fresh' ? w.fresh : w.applied;
  const preview = await settle('preview', previewPackage(r.ctx, path));
  unchanged(r, 'preview');
  if (bytes.equals(w.original)) {
    // The original: it previews everywhere; it is imported only where it already applied (a
    // replay, a no-op), so the fresh ledger stays fresh for the next case.
    if (!preview.ok) throw new Error(`preview of the original refused at the ${r.name} ledger: ${preview.reason}`);
    const already = r.name === 'applied';
    if (preview.value.alreadyApplied !== already) throw new Error(`preview of the original at the ${r.name} ledger: alreadyApplied ${preview.value.alreadyApplied}`);
    if (!already && preview.value.preview.counts.new !== w.newRecords) throw new Error(`preview of the original: ${preview.value.preview.counts.new} new, expected ${w.newRecords}`);
    const again = await settle('replay', importPackage(w.applied.ctx, path));
    unchanged(w.applied, 'replay');
    if (!again.ok || !again.value.alreadyApplied) throw new Error(`the original again at the applied ledger was not a no-op: ${JSON.stringify(again)}`);
    return `original: preview ok at ${r.name}, replay no-op`;
  }
  const imported = await settle('import', importPackage(r.ctx, path));
  unchanged(r, 'import');
  // A changed package is refused, with one reason from both calls (at the applied receiver too: a
  // replay is a no-op only for the very file applied, read through).
  for (const [what, x] of [['preview', preview], ['import', imported]] as const) {
    if (x.ok) throw new Error(`a changed package was accepted by ${what} at the ${r.name} ledger: ${JSON.stringify(x.value).slice(0, 300)}`);
  }
  if (preview.ok || imported.ok) throw new Error('unreachable');
  if (preview.reason !== imported.reason) throw new Error(`preview refused with ${preview.reason}, import with ${imported.reason}`);
  if ('structured' in c) {
    const s = w.structured[c.structured]!;
    if (!s.reasons.includes(imported.reason)) throw new Error(`${s.name}: refused with ${imported.reason}, expected ${s.reasons.join(' or ')}`);
  }
  return imported.reason;
}

/** Every structured package once at each receiver (where it may go): name @ receiver → outcome. */
export async function checkStructured(w: ImportFuzzWorld): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [i, s] of w.structured.entries()) {
    for (const target of s.only ? [s.only] : (['fresh', 'applied'] as const)) out[`${s.name} @ ${target}`] = await checkCase(w, { target, structured: i });
  }
  return out;
}
