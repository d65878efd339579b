// A CommonJS module (package.json "type": "commonjs"): TypeScript compiles this import to require('robustlaw'),
// which Node >= 20.19 serves from the ES module (require(esm)).
import { informalLaw, theorem3 } from 'robustlaw';

const t = theorem3({ n: 1e6, d: 1000, p: 1e4, eps: 0.5, c: 1, k: 1, W: 10, J: 10 });
console.log(`Theorem 3 applies: ${String(t.applies)}; law eps sqrt(n d / p) = ${informalLaw(1e6, 1000, 1e4, 0.5).toFixed(3)}`);
