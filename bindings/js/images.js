// Image datasets that come from files (the registry's `external` datasets: Fashion-MNIST). The
// engine reads no files; this module finds the four gzipped IDX files, decompresses them and hands
// the bytes to the engine (module.loadImages) once per engine module:
//   node:     options.dataUrl (a folder: path or file: URL), else /usr/share/datasets/fashion-mnist/
//             (Debian's dataset-fashion-mnist; scripts/ensure-deps.mjs installs it);
//   browsers: options.dataUrl, else data/fashion-mnist/ next to the page's js/ folder, where the
//             build writes a subset (scripts/build.mjs: 12,000 training and 2,000 test images).
// The files keep their upstream names, so a folder with the original four files works too.

import { isNode, nodeBuiltin, relativeBase } from './loader.js';

const FILES = {
  fashion_mnist: {
    folder: 'fashion-mnist',
    systemFolder: '/usr/share/datasets/fashion-mnist/',
    train: ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'],
    test: ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'],
  },
};

// module -> Map(dataset -> {source, promise}): what the module's bank holds now (a different
// dataUrl replaces it, since the engine keeps one bank per dataset).
const loadedImages = new WeakMap();

/** Loads `dataset`'s images into `module` unless they are there already. */
export function ensureImages(module, dataset, options = {}) {
  const files = FILES[dataset];
  if (!files) throw new Error(`internal: no image files are known for the ${dataset} dataset`);
  if (!loadedImages.has(module)) loadedImages.set(module, new Map());
  const perModule = loadedImages.get(module);
  const source = String(options.dataUrl ?? '');
  if (perModule.get(dataset)?.source !== source) {
    const promise = (async () => {
      const folder = await folderUrl(files, options.dataUrl);
      for (const split of ['train', 'test']) {
        // Read together; a failure is reported for the first file in order (images, then labels),
        // not for whichever read happened to fail first.
        const reads = await Promise.allSettled(files[split].map((name) => readGzip(new URL(name, folder), dataset)));
        const failed = reads.find((read) => read.status === 'rejected');
        if (failed) throw failed.reason;
        const [images, labels] = reads.map((read) => read.value);
        module.loadImages(dataset, split, images, labels);
      }
    })();
    promise.catch(() => { if (perModule.get(dataset)?.promise === promise) perModule.delete(dataset); });  // may be retried
    perModule.set(dataset, { source, promise });
  }
  return perModule.get(dataset).promise;
}

async function folderUrl(files, dataUrl) {
  let url;
  if (dataUrl !== undefined) {
    url = new URL(dataUrl, await relativeBase());
  } else if (isNode()) {
    url = new URL(`file://${files.systemFolder}`);
  } else {
    // A variable, not a literal: bundlers must not try to emit the folder as an asset.
    const relative = `../data/${files.folder}/`;
    url = new URL(relative, import.meta.url);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function missing(dataset, url, cause) {
  const where = url.protocol === 'file:' ? url.pathname : url.href;
  const hint = isNode()
    ? 'install Debian\'s dataset-fashion-mnist (node scripts/ensure-deps.mjs does), or pass { dataUrl: folder } with the four IDX .gz files'
    : 'serve the build\'s data/ folder next to js/, or pass { dataUrl: folder } to createTrainer';
  return new Error(`the ${dataset} images could not be read from ${where}: ${cause?.message ?? cause}; ${hint}`, { cause });
}

async function readGzip(url, dataset) {
  if (url.protocol === 'file:' && isNode()) {
    const { readFile } = await nodeBuiltin('node:fs/promises');
    const { gunzip } = await nodeBuiltin('node:zlib');
    const { promisify } = await nodeBuiltin('node:util');
    let compressed;
    try {
      compressed = await readFile(url);
    } catch (error) {
      throw missing(dataset, url, error);
    }
    const bytes = await promisify(gunzip)(compressed);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  let response;
  try {
    response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    throw missing(dataset, url, error);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  // A server may already have undone the gzip (Content-Encoding): only gzip data is inflated here.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
