#!/usr/bin/env node
// Makes sure the system packages and node_modules the build needs are present.
//
// Debian packages are checked with dpkg-query; missing ones are installed with apt-get when
// running as root, otherwise the exact command is printed and the script fails. Then `npm ci`
// runs when node_modules is missing or older than package-lock.json. Only node built-ins are
// used: this runs before npm ci.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

// Debian 12 package names; see /work/shared/TOOLCHAIN.md for why each one.
export const REQUIRED_PACKAGES = [
  'emscripten',         // em++ 3.1.6 (the only one installable)
  'libeigen3-dev',      // Eigen 3.4 headers
  'doctest-dev',        // engine tests
  'nlohmann-json3-dev', // config and results as JSON
  'chromium',           // headless browser tests (driven by playwright-core)
  'bsdutils',           // script(1): the CLI's progress bar on a pseudo-terminal (tests/js/cli.test.js)
  'clang',              // libFuzzer (-fsanitize=fuzzer) for the `fuzz` preset (tests/fuzz/)
  'ninja-build',        // the presets' generator
  'cmake',
  'g++',
  'dataset-fashion-mnist', // the real Fashion-MNIST IDX files (data.dataset "fashion_mnist")
];

function isInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() === 'install ok installed';
}

function run(command, args, options = {}) {
  console.log(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
}

function ensureSystemPackages() {
  const dpkgQuery = spawnSync('dpkg-query', ['--version'], { encoding: 'utf8' });
  if (dpkgQuery.error) {
    console.warn('ensure-deps: dpkg-query not found (not Debian?); assuming these are installed: ' +
      REQUIRED_PACKAGES.join(' '));
    return;
  }
  const missing = REQUIRED_PACKAGES.filter((name) => !isInstalled(name));
  if (missing.length === 0) return;

  const install = ['apt-get', 'install', '-y', '--no-install-recommends', ...missing];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}\nInstall them with:\n` +
      `  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive ${install.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run(install[0], install.slice(1), { env });
}

function modificationTime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : -Infinity;
}

function ensureNodeModules() {
  const lockFile = join(repoRoot, 'package-lock.json');
  const nodeModules = join(repoRoot, 'node_modules');
  // npm rewrites node_modules/.package-lock.json on every install: the best "installed at" stamp.
  const installedAt = Math.max(modificationTime(join(nodeModules, '.package-lock.json')),
    existsSync(join(nodeModules, '.package-lock.json')) ? -Infinity : modificationTime(nodeModules));
  if (installedAt >= modificationTime(lockFile)) return;
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot });
}

/** Installs what is missing; throws with instructions when that is impossible. */
export function ensureDeps() {
  ensureSystemPackages();
  ensureNodeModules();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    ensureDeps();
    console.log('ensure-deps: all dependencies present');
  } catch (error) {
    console.error(`ensure-deps: ${error.message}`);
    process.exit(1);
  }
}
