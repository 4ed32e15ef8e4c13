import { afterEach, describe, expect, it } from 'vitest';
import { chromiumPath } from '../e2e/support/browser';
import { firefoxPath } from '../e2e/support/firefox';

// With no browser where the tests look, they fail and say how to get one (CONTRACT.md section 1).

const saved = { CHROME_PATH: process.env.CHROME_PATH, FIREFOX_PATH: process.env.FIREFOX_PATH };
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('chromiumPath', () => {
  it('uses CHROME_PATH when it names a file', () => {
    process.env.CHROME_PATH = process.execPath;
    expect(chromiumPath()).toBe(process.execPath);
  });

  it('says how to install Chromium when CHROME_PATH names nothing', () => {
    process.env.CHROME_PATH = '/nowhere/chromium';
    expect(() => chromiumPath()).toThrow(
      "No Chromium at /nowhere/chromium. Install Debian's with `apt-get install -y chromium`, or set " +
        'CHROME_PATH to Chromium or Chrome for Testing (branded Google Chrome 137 and later ignores ' +
        '--load-extension), then run the tests again.',
    );
  });
});

describe('firefoxPath', () => {
  it('uses FIREFOX_PATH when it names a file', () => {
    process.env.FIREFOX_PATH = process.execPath;
    expect(firefoxPath()).toBe(process.execPath);
  });

  it('says how to install Firefox when FIREFOX_PATH names nothing, rather than using another', () => {
    process.env.FIREFOX_PATH = '/nowhere/firefox';
    expect(() => firefoxPath()).toThrow(
      "No Firefox at /nowhere/firefox. Install Debian's with `apt-get install -y firefox-esr`, or set " +
        'FIREFOX_PATH to a Firefox binary (140 or later), then run the tests again.',
    );
  });
});
