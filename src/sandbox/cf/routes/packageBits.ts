/**
 * Package bits (cf-v3-packages.md §4 "Upload", "Download"):
 * - `POST /v3/packages/:guid/upload`, multipart `bits` (a zip) and/or `resources` (a JSON string holding an array):
 *   200 + the package in PROCESSING_UPLOAD, then READY (sha256 of the bytes) or FAILED (`data.error`). Only
 *   AWAITING_UPLOAD packages accept bits (else 400 `CF-PackageBitsAlreadyUploaded`). C: [oas] also lists a 202;
 *   CC's code answers 200, which we follow.
 * - `GET /v3/packages/:guid/download`: 200 `application/zip` with the stored bytes, the local-blobstore form of
 *   `BlobDispatcher#send_or_redirect` (a remote blobstore would 302 instead).
 */
import { sendJson } from '../../shared/http.js';
import { CfApiError, unprocessable } from '../errors.js';
import { cfRoute, type CfRequest, type CfRouteContext } from '../handler.js';
import { findPackage } from '../lookup.js';
import { readMultipartForm, type MultipartForm } from '../../shared/multipart.js';
import { beginUpload, type UploadedBits } from '../packageLifecycle.js';
import { presentPackage } from '../presenters.js';

export function registerPackageBitsRoutes(context: CfRouteContext): void {
  cfRoute(context, 'POST', '/v3/packages/:guid/upload', uploadBits);
  cfRoute(context, 'GET', '/v3/packages/:guid/download', downloadBits);
}

/** `PackageUploadMessage`: known fields only, at least one of `bits` / `resources`, `resources` a JSON array. */
function readUploadMessage(form: MultipartForm): UploadedBits {
  const errors: string[] = [];
  const names = [...new Set([...form.fields.keys(), ...form.files.keys()])];
  const extra = names.filter((n) => n !== 'bits' && n !== 'resources');
  if (extra.length > 0) errors.push(`Unknown field(s): '${extra.join("', '")}'`);
  const bitsFile = form.files.get('bits');
  const bitsField = form.fields.get('bits');
  const bits = bitsFile ?? (bitsField === undefined ? null : Buffer.from(bitsField, 'binary'));
  const resourcesText = form.fields.get('resources') ?? form.files.get('resources')?.toString('utf8');
  let resources: { path: string }[] | null = null;
  if (resourcesText !== undefined) {
    resources = parseResources(resourcesText);
    // I: CC's exact wording for a malformed `resources` field is not in the notes.
    if (resources === null) errors.push('Resources must be an array of resource match objects');
  }
  if (bits === null && resourcesText === undefined) errors.push('Upload must include either resources or bits');
  if (errors.length > 0) throw unprocessable(errors);
  return { bits, resources };
}

function parseResources(text: string): { path: string }[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const valid = parsed.every(
    (r) => typeof r === 'object' && r !== null && typeof (r as { path?: unknown }).path === 'string',
  );
  return valid ? (parsed as { path: string }[]) : null;
}

async function uploadBits({ req, res, params, store, baseUrl }: CfRequest): Promise<void> {
  const upload = readUploadMessage(await readMultipartForm(req));
  const pkg = findPackage(store, params.guid);
  if (pkg.type !== 'bits') throw unprocessable('Package type must be bits.');
  if (pkg.state !== 'AWAITING_UPLOAD') throw new CfApiError('PackageBitsAlreadyUploaded');
  beginUpload(store, pkg, upload);
  sendJson(res, 200, presentPackage(pkg, baseUrl));
}

function downloadBits({ res, params, store }: CfRequest): void {
  const pkg = findPackage(store, params.guid);
  if (pkg.type !== 'bits') throw unprocessable('Package type must be bits.');
  if (pkg.state !== 'READY' || pkg.bits === null) throw unprocessable('Package has no bits to download.');
  res.writeHead(200, {
    'content-type': 'application/zip',
    'content-length': pkg.bits.length,
    'content-disposition': `attachment; filename="${pkg.guid}.zip"`,
  });
  res.end(pkg.bits);
}
