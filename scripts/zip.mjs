// A small ZIP writer for the release packages: deflate from node:zlib, no dependencies. It writes the
// plain PKWARE format (APPNOTE.TXT, https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT,
// sections 4.3.7, 4.3.12 and 4.3.16) that the Chrome Web Store, Edge Add-ons and addons.mozilla.org
// read: no ZIP64, no encryption, UTF-8 names, forward slashes.
import { crc32, deflateRawSync } from 'node:zlib';

// A fixed date and time for every entry (1 Jan 2020, 00:00), so the same files give the same zip.
const DOS_TIME = 0;
const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;
const VERSION = 20; // 2.0: deflate
const MADE_BY_UNIX = (3 << 8) | VERSION;
const REGULAR_FILE_644 = (0o100644 << 16) >>> 0;

/**
 * The bytes of a zip archive holding `files` in the order given.
 * @param {{ name: string; data: Uint8Array }[]} files names relative, with `/` between folders
 * @returns {Buffer}
 */
export function createZip(files) {
  if (files.length > 0xffff) throw new RangeError('more files than a zip without ZIP64 can hold');
  /** @type {Buffer[]} */
  const localParts = [];
  /** @type {Buffer[]} */
  const centralParts = [];
  const seen = new Set();
  let offset = 0;
  for (const file of files) {
    const segments = file.name.split('/');
    if (file.name.includes('\\') || segments.some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`not a safe name inside a zip: ${file.name}`);
    }
    if (seen.has(file.name)) throw new Error(`two files named ${file.name}`);
    seen.add(file.name);
    const name = Buffer.from(file.name, 'utf8');
    const data = Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength);
    const deflated = deflateRawSync(data, { level: 9 });
    // Stored when deflate does not help (PNGs, tiny files): method 0.
    const useDeflate = deflated.length < data.length;
    const body = useDeflate ? deflated : data;
    const method = useDeflate ? 8 : 0;
    const checksum = crc32(data) >>> 0;
    if (data.length > 0xfffffffe || offset > 0xfffffffe)
      throw new RangeError('file too large for a zip without ZIP64');

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(VERSION, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra field length, comment length, disk number, internal attributes: all 0 (offsets 30 to 37)
    central.writeUInt32LE(REGULAR_FILE_644, 38);
    central.writeUInt32LE(offset, 42);

    localParts.push(local, name, body);
    centralParts.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const centralDirectory = Buffer.concat(centralParts);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...localParts, centralDirectory, end]);
}
