/**
 * A small OCI image layout as a tar (POSIX ustar), generated for upload tests: `oci-layout`, `index.json`, a
 * manifest, a config and one layer blob, each blob named by its sha256 as the OCI image-layout spec requires.
 */
import { createHash } from 'node:crypto';

const BLOCK = 512;

function header(name: string, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 'ascii');
  block.write('0000000\0', 108, 'ascii');
  block.write('0000000\0', 116, 'ascii');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  block.write('00000000000\0', 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write('0', 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

/** A tar of `entries` (name → content), ended by two zero blocks. */
export function tar(entries: Record<string, Buffer | string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, raw] of Object.entries(entries)) {
    const content = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    parts.push(header(name, content.length), content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/** An OCI image layout with one layer holding `layerBytes` bytes. */
export function ociImageTar(layerBytes = 4096): Buffer {
  const layer = Buffer.alloc(layerBytes, 7);
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: `sha256:${sha256(config)}`,
        size: config.length,
      },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${sha256(layer)}`, size: layer.length },
      ],
    }),
  );
  const index = JSON.stringify({
    schemaVersion: 2,
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: `sha256:${sha256(manifest)}`,
        size: manifest.length,
      },
    ],
  });
  return tar({
    'oci-layout': JSON.stringify({ imageLayoutVersion: '1.0.0' }),
    'index.json': index,
    [`blobs/sha256/${sha256(manifest)}`]: manifest,
    [`blobs/sha256/${sha256(config)}`]: config,
    [`blobs/sha256/${sha256(layer)}`]: layer,
  });
}
