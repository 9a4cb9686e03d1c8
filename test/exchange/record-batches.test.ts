/**
 * The records of an export read and framed in a worker thread (db/exchange/record-batches.ts,
 * db/exchange/changes-worker.ts): from an encrypted ledger file the worker's batches are byte for
 * byte what this thread builds from the same stream, with the same tally and offices; a worker
 * that cannot open the file leaves the work to this thread, with the same bytes.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/core/context.js';
import { streamChanges } from '../../db/exchange/changes.js';
import { recordBatches, type RecordBatch, type Tally } from '../../db/exchange/record-batches.js';
import { addEvidence } from '../../db/services/evidence.js';
import { exchangeOffice, tempDir } from '../helpers/exchange-offices.js';
import { categoryId, fxInspection, fxProblem, fxRound, fxTask, fxUnit } from '../helpers/fixtures.js';

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

function ledgerWithRecords() {
  const o = exchangeOffice(cleanup, { name: '某某集团有限公司巡视整改工作领导小组办公室', kind: 'inspected_unit', seed: 31, password: 'pici-mima-2024', dir: tempDir(cleanup, 'xz-batches-') });
  const ev = inTransaction(o.ctx, () => {
    const round = fxRound(o.ctx);
    const unit = fxUnit(o.ctx);
    const { inspection } = fxInspection(o.ctx, { roundId: round.id, unitId: unit.id });
    let task = null;
    // Enough records for several batches of about 256 KiB.
    for (let k = 0; k < 300; k++) {
      const p = fxProblem(o.ctx, { unitId: unit.id, roundId: round.id, inspectionId: inspection.id, categoryId: categoryId(o.ctx, '廉洁风险'), description: `落实主体责任不到位的具体表现（第${k + 1}项）。`.repeat(8) });
      task = fxTask(o.ctx, { problemId: p.id, unitId: unit.id, roundId: round.id, measures: `制定专项整改方案，明确责任和时限（第${k + 1}项）。`.repeat(8) });
    }
    return addEvidence(o.ctx, { ownerType: 'task', ownerId: task!.id, fileName: '整改报告.pdf', mimeType: 'application/pdf', formedOn: '2024-08-30', dataBase64: randomBytes(5000).toString('base64') });
  });
  return { o, ev };
}

async function drain(source: ReturnType<typeof recordBatches>): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for (let b = await source.next(); b; b = await source.next()) out.push(b);
  source.close();
  return out;
}

const opts = { sinceVersion: 0, recipientKind: 'inspection_office' as const, includeClues: false };

describe('records of an export, framed in a worker', () => {
  it('the worker’s batches are the bytes this thread builds, with the same tally, offices and cited files', async () => {
    const { o, ev } = ledgerWithRecords();
    const run = async (useWorker: boolean) => {
      const stream = streamChanges(o.ctx, opts);
      const tally: Tally = { records: 0, tables: {} };
      let where = '';
      const batches = await drain(recordBatches(o.ledger, stream, tally, { useWorker, onStart: (w) => (where = w) }));
      return { where, batches, tally, officeIds: [...stream.officeIds].sort() };
    };
    const worker = await run(true);
    const here = await run(false);
    expect(worker.where).toBe('worker');
    expect(here.where).toBe('this thread');
    expect(worker.batches.length).toBeGreaterThan(2);
    expect(Buffer.concat(worker.batches.map((b) => b.frames)).equals(Buffer.concat(here.batches.map((b) => b.frames)))).toBe(true);
    expect(worker.batches.map((b) => b.count)).toEqual(here.batches.map((b) => b.count));
    expect(worker.tally).toEqual(here.tally);
    expect(worker.tally.tables.tasks?.records).toBe(300);
    expect(worker.officeIds).toEqual(here.officeIds);
    expect(worker.officeIds.length).toBeGreaterThan(0);
    expect(worker.batches.flatMap((b) => b.evidence)).toEqual([ev.sha256]);
  });

  it('a worker that cannot open the file (wrong key) leaves the work to this thread: the same bytes', async () => {
    const { o } = ledgerWithRecords();
    const here = await drain(recordBatches(o.ledger, streamChanges(o.ctx, opts), { records: 0, tables: {} }, { useWorker: false }));
    let where = '';
    const tally: Tally = { records: 0, tables: {} };
    const fell = await drain(recordBatches(o.ledger, streamChanges(o.ctx, opts), tally, { access: { path: o.ledger.path, key: randomBytes(32) }, onStart: (w) => (where = w) }));
    expect(where).toBe('this thread');
    expect(Buffer.concat(fell.map((b) => b.frames)).equals(Buffer.concat(here.map((b) => b.frames)))).toBe(true);
    expect(tally.tables.problems?.records).toBe(300);
  });
});
