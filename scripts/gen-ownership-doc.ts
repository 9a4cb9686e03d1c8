/**
 * `npx tsx scripts/gen-ownership-doc.ts`: rewrites docs/exchange-ownership.md from the ownership
 * table (db/exchange/ownership.ts). test/exchange/ownership.test.ts fails while the two differ.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ownershipMarkdown } from '../db/exchange/ownership.js';

const OWNERSHIP_DOC = fileURLToPath(new URL('../docs/exchange-ownership.md', import.meta.url));

writeFileSync(OWNERSHIP_DOC, ownershipMarkdown());
console.log(`已生成 ${OWNERSHIP_DOC}`);
