/**
 * Interoperability of our age implementation with the two reference implementations, in both
 * directions: Debian's `age` CLI 1.1.1 (the Go reference; installed by scripts/system-deps.mjs)
 * and the `age-encryption` npm package (the TypeScript reference, pinned at 0.3.1).
 *
 * The CLI reads passphrases only from a terminal (/dev/tty). `script` (util-linux, essential in
 * Debian) runs it on a pseudo-terminal whose input is our stdin, so the passphrase direction is
 * driven by the real CLI too, non-interactively.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decrypter, Encrypter, generateIdentity as theirGenerateIdentity, identityToRecipient as theirIdentityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptBuffer, encryptBuffer, generateIdentity, identityToRecipient } from '../../db/exchange/age/index.js';

const SIZES = [0, 1, 64 * 1024, 64 * 1024 + 1, 3 * 1024 * 1024 + 5];
const sizeName = (n: number) => `${n} bytes`;
// Low enough to keep the pure-JS reference fast; the CLI always uses 18 (exercised below).
const LOW_WORK_FACTOR = 12;

let dir: string;
let cliIdentity: string; // from age-keygen
let cliKeyFile: string;
let ourIdentity: string;

const file = (name: string) => join(dir, name);

/** Runs the CLI; returns what it wrote to stdout. */
function age(args: string[]): Buffer {
  return execFileSync('age', args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/**
 * The CLI's `-o` output. age 1.1.1 opens the output file lazily, on the first write, so an empty
 * plaintext leaves no file at all (its exit status was 0, checked by the caller).
 */
function cliOutput(path: string): Buffer {
  return existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
}

/** Runs the CLI on a pseudo-terminal, typing `lines` (passphrase prompts) into it. */
function ageOnTerminal(args: string[], lines: string[]): void {
  // Paths come from mkdtemp under the system temp dir: no spaces or quotes to escape.
  const r = spawnSync('script', ['-qec', ['age', ...args].join(' '), '/dev/null'], {
    input: lines.map((l) => `${l}\n`).join(''), encoding: 'utf8', timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`age ${args.join(' ')} failed (${r.status}): ${r.stdout}${r.stderr}`);
}

const plaintextOf = (n: number) => randomBytes(n);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'age-interop-'));
  cliKeyFile = file('cli-key.txt');
  execFileSync('age-keygen', ['-o', cliKeyFile], { stdio: 'ignore' });
  cliIdentity = readFileSync(cliKeyFile, 'utf8').split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-1'))!;
  ourIdentity = generateIdentity();
  writeFileSync(file('our-key.txt'), `${ourIdentity}\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keys agree with the age CLI', () => {
  it('derives the same recipient as age-keygen -y, for its identity and for ours', () => {
    expect(identityToRecipient(cliIdentity)).toBe(execFileSync('age-keygen', ['-y', cliKeyFile], { encoding: 'utf8' }).trim());
    expect(identityToRecipient(ourIdentity)).toBe(execFileSync('age-keygen', ['-y', file('our-key.txt')], { encoding: 'utf8' }).trim());
  });
});

describe('X25519 with the age CLI', () => {
  it.each(SIZES.map((n) => [sizeName(n), n] as const))('we encrypt %s to an age-keygen recipient, age -d decrypts it', async (_name, n) => {
    const plaintext = plaintextOf(n);
    writeFileSync(file('ours.age'), await encryptBuffer(plaintext, [identityToRecipient(cliIdentity)]));
    expect(age(['-d', '-i', cliKeyFile, file('ours.age')]).equals(plaintext)).toBe(true);
  });

  it.each(SIZES.map((n) => [sizeName(n), n] as const))('age -r encrypts %s to our recipient, we decrypt it', async (_name, n) => {
    const plaintext = plaintextOf(n);
    writeFileSync(file('plain.bin'), plaintext);
    age(['-r', identityToRecipient(ourIdentity), '-o', file('cli.age'), file('plain.bin')]);
    expect((await decryptBuffer(readFileSync(file('cli.age')), [ourIdentity])).equals(plaintext)).toBe(true);
  });

  it('armored files go both ways, to several recipients', async () => {
    const plaintext = plaintextOf(100_000);
    const other = identityToRecipient(generateIdentity());
    writeFileSync(file('ours.pem'), await encryptBuffer(plaintext, [other, identityToRecipient(cliIdentity)], { armor: true }));
    expect(age(['-d', '-i', cliKeyFile, file('ours.pem')]).equals(plaintext)).toBe(true);

    writeFileSync(file('plain.bin'), plaintext);
    age(['-a', '-r', other, '-r', identityToRecipient(ourIdentity), '-o', file('cli.pem'), file('plain.bin')]);
    expect(readFileSync(file('cli.pem'), 'latin1')).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
    expect((await decryptBuffer(readFileSync(file('cli.pem')), [ourIdentity])).equals(plaintext)).toBe(true);
  });
});

describe('scrypt passphrases with the age CLI (driven through a pseudo-terminal)', () => {
  const passphrase = 'correct-horse-battery-staple-巡视';

  it.each(SIZES.map((n) => [sizeName(n), n] as const))('we encrypt %s with a passphrase, age -d decrypts it', async (_name, n) => {
    const plaintext = plaintextOf(n);
    rmSync(file('ours-pw.out'), { force: true });
    writeFileSync(file('ours-pw.age'), await encryptBuffer(plaintext, [{ passphrase, workFactor: LOW_WORK_FACTOR }]));
    ageOnTerminal(['-d', '-o', file('ours-pw.out'), file('ours-pw.age')], [passphrase]);
    expect(cliOutput(file('ours-pw.out')).equals(plaintext)).toBe(true);
  });

  // The CLI always uses work factor 18 (about a second of scrypt on each side): two sizes only.
  it.each([0, 64 * 1024 + 1].map((n) => [sizeName(n), n] as const))('age -p encrypts %s with a passphrase (work factor 18), we decrypt it', async (_name, n) => {
    const plaintext = plaintextOf(n);
    writeFileSync(file('plain.bin'), plaintext);
    ageOnTerminal(['-p', '-o', file('cli-pw.age'), file('plain.bin')], [passphrase, passphrase]);
    const encrypted = readFileSync(file('cli-pw.age'));
    expect(encrypted.toString('latin1', 0, 200)).toMatch(/\n-> scrypt \S{22} 18\n/);
    expect((await decryptBuffer(encrypted, [{ passphrase }])).equals(plaintext)).toBe(true);
  });
});

describe('with the age-encryption npm package (0.3.1)', () => {
  it.each(SIZES.map((n) => [sizeName(n), n] as const))('X25519, %s: ours → theirs and theirs → ours', async (_name, n) => {
    const plaintext = plaintextOf(n);
    const theirIdentity = await theirGenerateIdentity();
    const ours = await encryptBuffer(plaintext, [await theirIdentityToRecipient(theirIdentity)]);
    const d = new Decrypter();
    d.addIdentity(theirIdentity);
    expect(Buffer.from(await d.decrypt(ours)).equals(plaintext)).toBe(true);

    const e = new Encrypter();
    e.addRecipient(identityToRecipient(ourIdentity));
    expect((await decryptBuffer(await e.encrypt(plaintext), [ourIdentity])).equals(plaintext)).toBe(true);
  });

  it.each([0, 64 * 1024].map((n) => [sizeName(n), n] as const))('scrypt, %s: ours → theirs and theirs → ours', async (_name, n) => {
    const plaintext = plaintextOf(n);
    const passphrase = 'light-original-energy-average-wish';
    const ours = await encryptBuffer(plaintext, [{ passphrase, workFactor: LOW_WORK_FACTOR }]);
    const d = new Decrypter();
    d.addPassphrase(passphrase);
    expect(Buffer.from(await d.decrypt(ours)).equals(plaintext)).toBe(true);

    const e = new Encrypter();
    e.setScryptWorkFactor(LOW_WORK_FACTOR);
    e.setPassphrase(passphrase);
    expect((await decryptBuffer(await e.encrypt(plaintext), [{ passphrase }])).equals(plaintext)).toBe(true);
  });

  it('identities from either side give the same recipient', async () => {
    const theirs = await theirGenerateIdentity();
    expect(identityToRecipient(theirs)).toBe(await theirIdentityToRecipient(theirs));
    expect(await theirIdentityToRecipient(ourIdentity)).toBe(identityToRecipient(ourIdentity));
  });
});
