import { afterEach, describe, expect, it } from 'vitest';
import { createClue } from '../../db/services/clues.js';
import { addEvidence } from '../../db/services/evidence.js';
import { recentActivity } from '../../db/services/history.js';
import { updateProblem } from '../../db/services/problems.js';
import { addProgress } from '../../db/services/progress.js';
import { startTask } from '../../db/services/tasks.js';
import { evidence, evidenceBlobs } from '../../db/schema/index.js';
import { insertRow } from '../../db/core/write.js';
import { expectError } from '../helpers/expect.js';
import { makeTestLedger, type TestLedger } from '../helpers/ledger.js';
import { attach, newProblemAndTask, pdfBytes, stage } from '../helpers/workflow.js';

let t: TestLedger;
afterEach(() => t?.close());

describe('recent activity (the home page feed)', () => {
  it('lists the latest changes newest first, with who, a few words of what, and the problem or task to open', () => {
    t = makeTestLedger({ today: '2024-03-01' });
    const s = stage(t);
    const entry = t.as(t.users.entry);
    const { problem, task } = newProblemAndTask(entry, s);
    startTask(entry, { id: task.id });
    const progress = addProgress(entry, { taskId: task.id, entryDate: '2024-02-10', content: '召开专题会议部署整改，明确分工。' });
    addEvidence(entry, { ownerType: 'progress', ownerId: progress.id, fileName: '会议纪要.pdf', mimeType: 'application/pdf', formedOn: '2024-02-10', dataBase64: pdfBytes('纪要') });
    attach(entry, task.id, '整改台账');
    updateProblem(entry, { id: problem.id, version: problem.version, isKey: true, leadLeader: '陈某某' });

    const feed = recentActivity(t.as(t.users.readonly), { limit: 6 });
    // The revision counter bumped by each evidence upload is the engine's bookkeeping, not news.
    expect(feed.map((x) => [x.entity, x.action])).toEqual([
      ['problems', 'update'], ['evidence', 'create'], ['evidence', 'create'], ['progress_entries', 'create'], ['tasks', 'start'], ['tasks', 'create'],
    ]);
    expect(feed.every((x) => x.userName === '张某某')).toBe(true);
    expect(feed.map((x) => x.seq)).toEqual([...feed.map((x) => x.seq)].sort((a, b) => b - a));
    // An update's audit row holds only the changed fields: the subject comes from the record.
    expect(feed[0]).toMatchObject({ subject: '公务接待超标准问题仍有发生。', open: { kind: 'problem', id: problem.id } });
    expect(feed[1]).toMatchObject({ subject: '整改台账.pdf', open: { kind: 'task', id: task.id } });
    expect(feed[2]).toMatchObject({ subject: '会议纪要.pdf', open: { kind: 'task', id: task.id } }); // evidence of a progress entry
    expect(feed[3]).toMatchObject({ subject: '召开专题会议部署整改，明确分工。', open: { kind: 'task', id: task.id } });
    expect(feed[4]).toMatchObject({ subject: '修订公务接待管理办法，开展专项检查。', open: { kind: 'task', id: task.id } });
  });

  it('never shows clues or evidence of clues, nor accounts and settings', () => {
    t = makeTestLedger({ today: '2024-03-01' });
    const s = stage(t);
    const reviewer = t.as(t.users.reviewer); // has the clue right
    newProblemAndTask(t.as(t.users.entry), s);
    const clue = createClue(reviewer, {
      roundId: s.round.id, unitId: s.unit.id, subjectName: '张某某', subjectPost: '某某集团有限公司副总经理',
      summary: '反映其在工程招标中为亲属企业谋利。', receivedOn: '2024-02-10', receivingOrgan: 'ccdi',
    });
    // Evidence of a clue cannot be uploaded through the services today; one may still arrive in a
    // package from another office, so the feed is checked against such a row written directly.
    const sha256 = 'ab'.repeat(32);
    t.ledger.orm.insert(evidenceBlobs).values({ sha256, size: 3, data: Buffer.from('abc'), createdAt: '2024-02-10T00:00:00.000Z' }).run();
    insertRow(reviewer, evidence, {
      ownerType: 'clue', ownerId: clue.id, sha256, fileName: '举报材料原件.pdf', mimeType: 'application/pdf', size: 3, formedOn: '2024-02-10',
    });
    const audit = JSON.stringify(t.ledger.sqlite.prepare('SELECT after FROM audit_log').all());
    expect(audit).toContain('某某集团有限公司副总经理'); // the clue is in the audit trail…
    expect(audit).toContain('举报材料原件.pdf');
    for (const who of [t.users.reviewer, t.users.readonly]) {
      const feed = recentActivity(t.as(who), { limit: 100 });
      expect(feed.length).toBeGreaterThan(0);
      expect(feed.filter((x) => ['clues', 'clue_dispositions', 'users', 'offices', 'saved_filters'].includes(x.entity))).toEqual([]);
      const text = JSON.stringify(feed); // …but not in the feed, for anyone
      expect(text).not.toContain('某某集团有限公司副总经理');
      expect(text).not.toContain('亲属企业');
      expect(text).not.toContain('举报材料原件');
      expect(text).not.toContain(clue.id);
    }
  });

  it('refuses a bad limit and a caller who is not logged in', () => {
    t = makeTestLedger();
    expectError(() => recentActivity(t.as(t.users.admin), { limit: 0 }), 'VALIDATION', 'limit');
    expectError(() => recentActivity(t.as(null), {}), 'FORBIDDEN');
  });
});
