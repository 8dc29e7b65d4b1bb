/**
 * A ZIP archive written as a stream (entries deflated one after another, each with a data
 * descriptor, then the central directory), so a trajectory with its artifacts downloads
 * without the archive held in memory or on disk. ZIP32: callers keep the whole under
 * MAX_ZIP32_BYTES and under 65,535 entries.
 */
import { crc32 } from 'node:zlib';
import { createDeflateRaw } from 'node:zlib';
import type { Readable, Writable } from 'node:stream';

/** What ZIP32 holds (sizes and offsets are 32-bit), with room for headers. */
export const MAX_ZIP32_BYTES = 0xffff_ffff - 64 * 1024 * 1024;
export const MAX_ZIP_ENTRIES = 65_535;

interface Written {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** DOS time and date of now (ZIP's), as the entries' modification time. */
function dosTime(d = new Date()): { time: number; date: number } {
  return { time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2), date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate() };
}

/** Writes to `out` (awaiting its drain): `add` an entry from a stream or bytes, then `finish`. */
export function zipWriter(out: Writable) {
  const entries: Written[] = [];
  let offset = 0;
  const { time, date } = dosTime();
  const write = (bytes: Buffer) =>
    new Promise<void>((resolve, reject) => {
      offset += bytes.length;
      if (out.write(bytes)) return resolve();
      const done = (error?: Error) => {
        out.off('drain', done);
        out.off('error', done);
        out.off('close', closed);
        if (error) reject(error);
        else resolve();
      };
      const closed = () => done(new Error('the download was closed before its end'));
      out.once('drain', done);
      out.once('error', done);
      out.once('close', closed);
    });

  return {
    /** Adds one entry (`name` with `/` separators) from `source`. */
    async add(name: string, source: Readable | Buffer): Promise<void> {
      if (entries.length >= MAX_ZIP_ENTRIES) throw new Error(`a download holds at most ${MAX_ZIP_ENTRIES} files`);
      const nameBytes = Buffer.from(name, 'utf8');
      const start = offset;
      const header = Buffer.alloc(30);
      header.writeUInt32LE(0x04034b50, 0);
      header.writeUInt16LE(20, 4);
      header.writeUInt16LE(0x0808, 6); // sizes in the data descriptor; UTF-8 names
      header.writeUInt16LE(8, 8); // deflate
      header.writeUInt16LE(time, 10);
      header.writeUInt16LE(date, 12);
      header.writeUInt16LE(nameBytes.length, 26);
      await write(Buffer.concat([header, nameBytes]));
      let crc = 0;
      let size = 0;
      let compressed = 0;
      const deflate = createDeflateRaw();
      const pumped = (async () => {
        for await (const chunk of deflate) {
          compressed += (chunk as Buffer).length;
          await write(chunk as Buffer);
        }
      })();
      const feed = async (chunk: Buffer) => {
        crc = crc32(chunk, crc);
        size += chunk.length;
        if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
      };
      if (Buffer.isBuffer(source)) await feed(source);
      else for await (const chunk of source) await feed(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
      deflate.end();
      await pumped;
      if (offset > MAX_ZIP32_BYTES) throw new Error('the download passed the ZIP32 bound');
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc >>> 0, 4);
      descriptor.writeUInt32LE(compressed, 8);
      descriptor.writeUInt32LE(size, 12);
      await write(descriptor);
      entries.push({ name: nameBytes, crc: crc >>> 0, compressed, size, offset: start });
    },
    /** Writes the central directory and ends `out`. */
    async finish(): Promise<void> {
      const start = offset;
      for (const e of entries) {
        const header = Buffer.alloc(46);
        header.writeUInt32LE(0x02014b50, 0);
        header.writeUInt16LE(20, 4);
        header.writeUInt16LE(20, 6);
        header.writeUInt16LE(0x0808, 8);
        header.writeUInt16LE(8, 10);
        header.writeUInt16LE(time, 12);
        header.writeUInt16LE(date, 14);
        header.writeUInt32LE(e.crc, 16);
        header.writeUInt32LE(e.compressed, 20);
        header.writeUInt32LE(e.size, 24);
        header.writeUInt16LE(e.name.length, 28);
        header.writeUInt32LE(e.offset, 42);
        await write(Buffer.concat([header, e.name]));
      }
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(entries.length, 8);
      end.writeUInt16LE(entries.length, 10);
      end.writeUInt32LE(offset - start, 12);
      end.writeUInt32LE(start, 16);
      await write(end);
      await new Promise<void>((resolve) => out.end(resolve));
    },
  };
}
