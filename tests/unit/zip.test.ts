import { describe, expect, it } from 'vitest';
import { createZip } from '../../scripts/zip.mjs';
import { readZip } from '../e2e/support/zip-reader';

// The release zips' writer, read back by a separate reader that checks sizes and CRC-32s.

describe('createZip', () => {
  it('round-trips text, binary, empty and non-ASCII-named files, in order', () => {
    const binary = Uint8Array.from({ length: 300 }, (_, index) => (index * 37) % 256);
    const files = [
      { name: 'manifest.json', data: Buffer.from('{"name":"x"}\n'.repeat(20)) },
      { name: 'icons/icon.png', data: binary },
      { name: 'empty.txt', data: new Uint8Array() },
      { name: 'src/café.html', data: Buffer.from('<p>café</p>') },
    ];
    const read = readZip(createZip(files));
    expect([...read.keys()]).toEqual(files.map((file) => file.name));
    for (const file of files)
      expect(read.get(file.name)?.equals(Buffer.from(file.data)), file.name).toBe(true);
  });

  it('gives the same bytes for the same files (fixed dates)', () => {
    const files = [{ name: 'a.txt', data: Buffer.from('same') }];
    expect(createZip(files).equals(createZip(files))).toBe(true);
  });

  it('refuses names that would unpack outside the folder or twice', () => {
    const data = Buffer.from('x');
    for (const name of ['../evil.js', '/abs.js', 'a//b.js', 'a\\b.js', '']) {
      expect(() => createZip([{ name, data }]), name).toThrow(/not a safe name/);
    }
    expect(() =>
      createZip([
        { name: 'a', data },
        { name: 'a', data },
      ]),
    ).toThrow(/two files/);
  });

  it('writes an empty archive as just the end record', () => {
    expect(createZip([]).length).toBe(22);
    expect(readZip(createZip([])).size).toBe(0);
  });
});
