import { config } from 'zod/mini';

// Zod compiles a fast object parser with `new Function` when it can. Linkwell's pages forbid eval by
// CSP, and partner websites may too; even the probe shows up as a CSP violation report. So: no JIT.
// Imported by each module that defines schemas, so it is in force before anything is parsed; the build
// also takes the Function constructor out of zod altogether (scripts/zod-without-eval.ts).
config({ jitless: true });
