import type { Plugin } from 'vite';

/**
 * Takes zod's two uses of the `Function` constructor out of every bundle.
 *
 * Zod can compile a fast object parser with `new Function` and probes whether it may. Linkwell runs
 * with `jitless: true` (src/core/zod-config.ts), but a module that parses before that import has run
 * (a content script that reaches zod through another module) would still try, and on a record page
 * the browser blocks and reports the attempt. Mozilla's addons-linter also flags the code as eval
 * (DANGEROUS_EVAL) whether or not it runs. So the build replaces the probe with "no" and the
 * compiler with an error. Each replacement must match exactly: a zod upgrade that moves the code
 * fails the build here instead of quietly putting the code back.
 */
export function zodWithoutEval(): Plugin {
  const edits: { file: RegExp; from: RegExp; to: string }[] = [
    {
      file: /[\\/]zod[\\/]v4[\\/]core[\\/]util\.js$/,
      from: /try\s*\{\s*const F = Function;\s*new F\(""\);\s*return true;\s*\}\s*catch \(_\)\s*\{\s*return false;\s*\}/,
      to: 'return false;',
    },
    {
      file: /[\\/]zod[\\/]v4[\\/]core[\\/]doc\.js$/,
      from: /compile\(\) \{\s*const F = Function;[\s\S]*?return factory\(\.\.\.Object\.values\(this\.closed\)\);\s*\}/,
      to: 'compile() { throw new Error("Linkwell builds zod without compiled parsers"); }',
    },
  ];
  return {
    name: 'linkwell:zod-without-eval',
    enforce: 'pre',
    transform(code, id) {
      const edit = edits.find((candidate) => candidate.file.test(id));
      if (!edit) return undefined;
      if (!edit.from.test(code)) {
        this.error(`zod has changed: the Function constructor in ${id} was not found to take out`);
      }
      return { code: code.replace(edit.from, edit.to), map: null };
    },
  };
}
