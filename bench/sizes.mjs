// Download sizes: what a browser actually transfers when a server compresses with gzip.
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** gzip -9 size of a buffer, in bytes. */
export function gzipBytes(buffer) {
  return gzipSync(buffer, { level: 9 }).length;
}

/** [{file, bytes, gzipBytes}] for existing files, plus totals. */
export function fileSizes(paths) {
  const files = paths.map((file) => {
    const buffer = readFileSync(file);
    return { file, bytes: statSync(file).size, gzipBytes: gzipBytes(buffer) };
  });
  return {
    files,
    bytes: files.reduce((sum, entry) => sum + entry.bytes, 0),
    gzipBytes: files.reduce((sum, entry) => sum + entry.gzipBytes, 0),
  };
}
