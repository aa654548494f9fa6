// Every DynamoDB expression lives in a file named for what it adapts (the same names the
// SDK rule in .dependency-cruiser.cjs trusts), or in a Step Functions definition, whose
// DynamoDB tasks are expressions by nature. A use case or rule that builds one would
// speak the database without an adapter's name, where no layering rule looks.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ADAPTER =
  /-(repository|store|vault|publisher|signer|certificates|mailer|timers|workflow|provider)\.ts$/;
const WORKFLOW_DEFINITION = /-(workflow-)?definition\.ts$/;
const SHARED_DYNAMO = /^functions\/shared\/(dynamo\/|audit\.ts$)/;
const EXPRESSION =
  /\b(UpdateExpression|KeyConditionExpression|ConditionExpression|FilterExpression|ProjectionExpression)\b/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('DynamoDB expressions', () => {
  it('appear only in adapter-named files, shared DynamoDB helpers and workflow definitions', () => {
    const outside = files('functions').filter(
      (f) =>
        EXPRESSION.test(readFileSync(f, 'utf8')) &&
        !ADAPTER.test(f) &&
        !WORKFLOW_DEFINITION.test(f) &&
        !SHARED_DYNAMO.test(f),
    );
    expect(outside).toEqual([]);
  });
});
