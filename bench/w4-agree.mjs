// W4 loss agreement (docs/notes/w4.md): every JS engine's pool loss (160 images) before training
// and after each of the first --steps steps, side by side, with the largest difference from
// trainscope wasm SIMD. Also tries TF.js's wasm backend, which cannot train this network.
//
//   node bench/w4-agree.mjs [--steps=16] [--engines=trainscope-simd,convnetjs,tfjs-cpu,tfjs-wasm]
import { createW4Session } from './w4.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const steps = Number(args.steps ?? 16);
const engines = (args.engines ?? 'trainscope-simd,convnetjs,tfjs-cpu,tfjs-wasm').split(',');

const curves = {};
for (const engine of engines) {
  try {
    const session = await createW4Session(engine);
    const curve = [session.lossOnPool()];
    for (let s = 0; s < steps; s++) {
      session.step();
      curve.push(session.lossOnPool());
    }
    session.dispose();
    curves[engine] = curve;
  } catch (error) {
    console.log(`${engine}: ${String(error.message ?? error).split('\n')[0]}`);
  }
}
const names = Object.keys(curves);
console.log(`| after step | ${names.join(' | ')} |`);
console.log(`|---:|${names.map(() => '---:').join('|')}|`);
for (let s = 0; s <= steps; s++) console.log(`| ${s} | ${names.map((name) => curves[name][s].toFixed(7)).join(' | ')} |`);
const base = names[0];
for (const name of names.slice(1)) {
  const deltas = curves[name].map((value, s) => Math.abs(value - curves[base][s]));
  console.log(`max |${name} − ${base}| over steps 0…${steps}: ${Math.max(...deltas).toExponential(2)}`);
}
