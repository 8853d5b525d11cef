/**
 * Reads the entry names of a tar archive (POSIX ustar, and the old v7 headers): what Cycle's factory needs to tell an
 * OCI image layout (an `oci-layout` file and an `index.json`, OCI image-layout spec) from anything else. Each header
 * is checked against its checksum, so random bytes are not read as a tar.
 */
const BLOCK = 512;

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number): number | null {
  const value = text(block, start, length).trim();
  return /^[0-7]+$/.test(value) ? parseInt(value, 8) : value === '' ? 0 : null;
}

/** The header's checksum: the byte sum with the checksum field itself counted as spaces. */
function checksumMatches(block: Buffer): boolean {
  const stored = octal(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return stored === sum;
}

/** The names of the archive's entries, or null when `archive` is not a well-formed tar. */
export function tarEntryNames(archive: Buffer): string[] | null {
  const names: string[] = [];
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const block = archive.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) return names.length > 0 ? names : null;
    if (!checksumMatches(block)) return null;
    const size = octal(block, 124, 12);
    if (size === null) return null;
    const prefix = text(block, 257, 6) === 'ustar' ? text(block, 345, 155) : '';
    names.push(prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100));
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return null;
}

/** Whether the entries make an OCI image layout (`oci-layout` and `index.json` at its root). */
export function isOciImageLayout(names: readonly string[]): boolean {
  const root = new Set(names.map((name) => name.replace(/^\.\//, '')));
  return root.has('oci-layout') && root.has('index.json');
}
