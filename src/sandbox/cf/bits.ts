/**
 * Package bits: the zip files the local blobstore holds. Seeded READY bits packages get small generated zips
 * (fflate), uploads are checked the way CC's packager checks them (`invalid_zip!` → "Invalid zip archive."), and
 * checksums are computed over the stored bytes (cf-v3-packages.md §3: `data.checksum`).
 */
import { createHash } from 'node:crypto';
import { unzipSync, zipSync, type Zippable } from 'fflate';

/** A fixed mtime keeps generated archives byte-for-byte identical between runs. */
const ARCHIVE_MTIME = new Date('2024-01-01T00:00:00Z');

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function sha1Hex(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Builds a zip from `path → text` entries. */
export function buildZip(files: Record<string, string>): Uint8Array {
  const entries: Zippable = {};
  for (const [path, text] of Object.entries(files))
    entries[path] = [new TextEncoder().encode(text), { mtime: ARCHIVE_MTIME }];
  return zipSync(entries, { level: 6 });
}

/** True when the bytes are a readable zip archive (an empty archive counts; an empty file does not). */
export function isZipArchive(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  try {
    unzipSync(bytes);
    return true;
  } catch {
    return false;
  }
}

const SOURCE_BY_BUILDPACK: Record<string, (appName: string) => Record<string, string>> = {
  ruby_buildpack: (name) => ({
    Gemfile: "source 'https://rubygems.org'\ngem 'sinatra'\n",
    'app.rb': `require 'sinatra'\nget('/') { '${name}' }\n`,
    'config.ru': "require './app'\nrun Sinatra::Application\n",
  }),
  nodejs_buildpack: (name) => ({
    'package.json': JSON.stringify({ name, version: '1.0.0', scripts: { start: 'node server.js' } }, null, 2),
    'server.js': `require('http').createServer((_, res) => res.end('${name}')).listen(process.env.PORT);\n`,
  }),
  python_buildpack: (name) => ({
    'requirements.txt': 'flask==3.0.0\n',
    'app.py': `from flask import Flask\napp = Flask('${name}')\n`,
    Procfile: 'web: gunicorn app:app\n',
  }),
  go_buildpack: (name) => ({
    'go.mod': `module example.org/${name}\n\ngo 1.22\n`,
    'main.go': `package main\n\nfunc main() { println("${name}") }\n`,
  }),
  java_buildpack: (name) => ({
    'pom.xml': `<project><artifactId>${name}</artifactId></project>\n`,
    'src/main/java/App.java': `public class App { public static void main(String[] a) { System.out.println("${name}"); } }\n`,
  }),
};

/** A small, realistic source archive for a buildpack app: a manifest plus a few source files. */
export function generateAppArchive(appName: string, buildpack: string, revision: number): Uint8Array {
  const sources = (SOURCE_BY_BUILDPACK[buildpack] ?? SOURCE_BY_BUILDPACK.ruby_buildpack!)(appName);
  return buildZip({
    'manifest.yml': `---\napplications:\n- name: ${appName}\n  buildpacks: [${buildpack}]\n`,
    REVISION: `${revision}\n`,
    ...sources,
  });
}

/**
 * The archive CC assembles from `resources` alone (cached files matched by fingerprint). The emulator has no
 * resource cache, so each matched file is present but empty (I: the paths are what a client can check).
 */
export function archiveFromResources(resources: readonly { path: string }[]): Uint8Array {
  return buildZip(Object.fromEntries(resources.map((r) => [r.path, ''])));
}
