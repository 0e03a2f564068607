import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '#functions/registry.ts';
import { synthesize } from './synth.ts';

interface BundledFunction {
  Metadata: { 'aws:asset:path': string };
  Properties: { Handler: string; Environment: { Variables: Record<string, unknown> } };
}

describe('handler bundles', () => {
  it('are ESM files, one per function of the registry, that load on Node, export handler and fail at the first call naming the missing environment', async () => {
    const { stateless, outdir } = synthesize({
      'aws:cdk:bundling-stacks': ['**'],
      'aws:cdk:enable-asset-metadata': true,
    });
    const functions = Object.values(stateless.findResources('AWS::Lambda::Function'))
      .map((f) => f as BundledFunction)
      .filter((f) => f.Properties.Environment?.Variables.POWERTOOLS_SERVICE_NAME !== undefined);
    expect(functions).toHaveLength(FUNCTIONS.length);
    for (const fn of functions) {
      expect(fn.Properties.Handler).toBe('index.handler');
      const bundle = join(outdir, fn.Metadata['aws:asset:path'], 'index.mjs');
      const module = (await import(pathToFileURL(bundle).href)) as {
        handler: (event: unknown) => Promise<unknown>;
      };
      expect(typeof module.handler).toBe('function');
      // The environment is read on the first call (possibly before returning a promise).
      await expect(Promise.resolve().then(() => module.handler({}))).rejects.toThrow(
        /^environment: [A-Z_]+: /,
      );
    }
  }, 240_000);
});
