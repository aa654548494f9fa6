// The functions the CDK app deploys: one per folder of functions/ with a handler.ts
// (test/infra/stacks.test.ts checks the templates name exactly these).
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FUNCTIONS = fileURLToPath(new URL('../../functions/', import.meta.url));

export const handlerCapabilities = () =>
  readdirSync(FUNCTIONS)
    .filter((dir) => existsSync(`${FUNCTIONS}${dir}/handler.ts`))
    .sort();
