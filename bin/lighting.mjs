#!/usr/bin/env node
// The `lighting` CLI. The sources are TypeScript run through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('#cli/main.ts');
