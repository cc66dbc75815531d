// Bundles the pages' own modules for dist/ with esbuild, so that a first visit fetches a few files
// instead of the ~60 small ES modules of web/app/ one import level at a time (navigation → first
// step, issue 14). The source tree stays plain ES modules, and dist/app/ keeps them too (tests
// and hosts import single modules from there); the pages load dist/bundle/ instead:
//
//   dist/bundle/prestart.js, main.js     index.html's two scripts (split into shared chunks,
//                                        the Search and Optimizers tabs as lazily loaded chunks)
//   dist/bundle/embed-page.js            embed.html's script
//   dist/bundle/worker.js                the training worker (new URL('./worker.js', import.meta.url))
//   dist/bundle/search-worker.js         the search pool's worker
//
// dist/bundle/ sits at the depth of dist/app/ and dist/js/, so `new URL('../style.css',
// import.meta.url)`-style references keep pointing at the same files. The JS API is bundled in,
// except its engine loader (dist/js/loader.js), which finds the engine as ./engine/ next to
// itself, and the error classes it throws (dist/js/errors.js, so that there is one
// EngineLoadError / ConfigError class per realm): the bundles import both from ../js/.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const ENTRY_POINTS = {
  prestart: 'app/prestart.js',
  main: 'app/main.js',
  'embed-page': 'app/embed-page.js',
  worker: 'app/worker.js',
  'search-worker': 'app/search/search-worker.js',
};
const PAGES = { 'index.html': ['prestart', 'main'], 'embed.html': ['prestart', 'embed-page'] };

/** Writes dist/bundle/ and points dist/index.html and dist/embed.html at it. */
export async function bundleSite(dist) {
  const esbuild = await import('esbuild');
  const outdir = join(dist, 'bundle');
  const separate = ['loader.js', 'errors.js'].map((file) => join(dist, 'js', file));
  // The engine loader and the error classes stay separate modules, imported by their paths from
  // dist/bundle/.
  const keepLoaderSeparate = {
    name: 'trainscope-loader-external',
    setup(build) {
      build.onResolve({ filter: /(loader|errors)\.js$/ }, ({ path, resolveDir }) => {
        const target = join(resolveDir, path);
        if (!separate.includes(target)) return undefined;
        return { path: relative(outdir, target).split(sep).join('/'), external: true };
      });
    },
  };
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, file]) => [name, join(dist, file)])),
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    minify: true,
    legalComments: 'inline',
    plugins: [keepLoaderSeparate],
    logLevel: 'warning',
  });
  for (const [page, names] of Object.entries(PAGES)) {
    const file = join(dist, page);
    let html = readFileSync(file, 'utf8');
    for (const name of names) {
      const from = `src="./${ENTRY_POINTS[name]}"`;
      if (!html.includes(from)) continue;
      html = html.replace(from, `src="./bundle/${name}.js"`);
    }
    writeFileSync(file, html);
  }
}
