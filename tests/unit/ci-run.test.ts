import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// .ci/run on a fresh machine, with the machine faked: a PATH holding only stand-ins for node, npm, id,
// sudo and Debian's package tools, each writing what it was asked to a log. Nothing is installed and no
// test runs; what is checked is what the script decides and says.

const SCRIPT = path.resolve('.ci/run');
// Real tools the script uses (and chmod, for the stand-in apt-get).
const REAL_TOOLS = ['dirname', 'sed', 'sort', 'head', 'chmod'];

interface Machine {
  /** `node --version` prints this; undefined: no node. */
  node?: string;
  /** What `apt-cache policy nodejs` offers as Candidate, e.g. 18.20.4+dfsg-1~deb12u3. */
  aptNode?: string;
  uid?: number;
  sudo?: boolean;
  /** Installed Debian packages (dpkg-query says "install ok installed" for these). */
  packages?: string[];
}

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function tool(bin: string, name: string, body: string) {
  const file = path.join(bin, name);
  writeFileSync(file, `#!/bin/bash\necho "${name} $*" >> "$CI_LOG"\n${body}\n`);
  chmodSync(file, 0o755);
}

function fakeNode(bin: string, version: string) {
  tool(bin, 'node', `[ "$1" = --version ] && echo v${version}`);
}

/** Runs .ci/run on the machine described; returns its exit status, what it said, and the tools' log. */
function runOn(machine: Machine) {
  dir = mkdtempSync(path.join(tmpdir(), 'linkwell-ci-run-'));
  const bin = path.join(dir, 'bin');
  spawnSync('mkdir', [bin]);
  for (const name of REAL_TOOLS) {
    const real = spawnSync('bash', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(real, path.join(bin, name));
  }
  if (machine.node) fakeNode(bin, machine.node);
  tool(bin, 'npm', '');
  tool(bin, 'id', `echo ${machine.uid ?? 0}`);
  if (machine.sudo) tool(bin, 'sudo', '"$@"');
  tool(
    bin,
    'dpkg-query',
    `case " ${(machine.packages ?? []).join(' ')} " in *" \${@: -1} "*) printf 'install ok installed';; *) exit 1;; esac`,
  );
  tool(
    bin,
    'apt-cache',
    `echo 'nodejs:'; echo '  Installed: (none)'; echo '  Candidate: ${machine.aptNode ?? '(none)'}'`,
  );
  // Installing nodejs puts the candidate's node on the PATH, as Debian's package would.
  const installedNode = (machine.aptNode ?? '').replace(/[-+~].*/, '');
  tool(
    bin,
    'apt-get',
    `if [ "$1" = install ] && [[ " $* " == *" nodejs "* ]]; then printf '#!/bin/bash\\n[ "$1" = --version ] && echo v${installedNode}\\n' > "${bin}/node"; chmod +x "${bin}/node"; fi`,
  );
  const log = path.join(dir, 'log');
  writeFileSync(log, '');
  const result = spawnSync('/bin/bash', [SCRIPT], {
    encoding: 'utf8',
    env: { PATH: bin, CI_LOG: log, CHROME_PATH: '/bin/true', FIREFOX_PATH: '/bin/true', HOME: dir },
  });
  const calls = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
  return { status: result.status, said: result.stderr, calls };
}

const FONTS = ['fonts-liberation', 'fonts-dejavu-core'];
const TESTS_RUN = ['npm ci --no-audit --no-fund', 'npm run lint', 'npm run typecheck', 'npm test'];
const needed = /"node": ">=([0-9.]+)"/.exec(readFileSync('package.json', 'utf8'))?.[1];

describe('.ci/run', () => {
  it('reads the Node.js it needs from package.json', () => {
    expect(needed).toBe('20.19');
  });

  it('installs nothing and runs the tests when everything is there', () => {
    const { status, calls, said } = runOn({ node: '20.19.0', packages: FONTS });
    expect(said).toBe('');
    expect(status).toBe(0);
    expect(
      calls.filter((call) => !call.startsWith('node ') && !call.startsWith('id') && !call.startsWith('dpkg')),
    ).toEqual(TESTS_RUN);
  });

  it('stops before npm, saying what to install, when Node.js is 18 and apt has nothing newer', () => {
    const { status, calls, said } = runOn({
      node: '18.20.4',
      aptNode: '18.20.4+dfsg-1~deb12u3',
      packages: FONTS,
    });
    expect(status).toBe(1);
    expect(said).toContain('Linkwell needs Node.js 20.19 or later');
    expect(said).toContain('this machine has 18.20.4; apt offers 18.20.4');
    expect(said).toContain('https://nodejs.org/');
    expect(calls.some((call) => call.startsWith('npm'))).toBe(false);
    expect(calls.some((call) => call.startsWith('apt-get install'))).toBe(false);
  });

  it('refuses Node.js just below the version needed', () => {
    const { status, said } = runOn({ node: '20.18.3', packages: FONTS });
    expect(status).toBe(1);
    expect(said).toContain('this machine has 20.18.3');
  });

  it('says so when there is no Node.js at all', () => {
    const { status, said } = runOn({ packages: FONTS });
    expect(status).toBe(1);
    expect(said).toContain('this machine has no Node.js; apt offers no nodejs package');
  });

  it('installs Node.js from apt when apt offers one new enough', () => {
    const { status, calls } = runOn({ aptNode: '22.11.0+dfsg-1', packages: FONTS });
    expect(status).toBe(0);
    expect(calls).toContain('apt-get install -y -qq nodejs npm');
    expect(calls.slice(-4)).toEqual(TESTS_RUN);
  });

  it('installs missing fonts, through sudo when not root', () => {
    const { status, calls } = runOn({ node: '22.11.0', uid: 1000, sudo: true, packages: [] });
    expect(status).toBe(0);
    expect(calls).toContain('sudo apt-get update -qq');
    expect(calls).toContain('sudo apt-get install -y -qq fonts-liberation fonts-dejavu-core');
  });

  it('says what to do when it must install but is neither root nor has sudo', () => {
    const { status, calls, said } = runOn({ node: '22.11.0', uid: 1000, packages: ['fonts-dejavu-core'] });
    expect(status).toBe(1);
    expect(said).toContain('installing fonts-liberation needs root, and this is not root and has no sudo');
    expect(calls.some((call) => call.startsWith('apt-get') || call.startsWith('npm'))).toBe(false);
  });
});
