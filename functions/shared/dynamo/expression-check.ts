// What DynamoDB refuses and the emulator (moto) lets through: an expression placeholder
// (`:value`, `#name`) that is defined but unused, or used but undefined. Checked before
// sending whenever the SDK talks to an emulator, so tests fail where AWS would.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const EXPRESSIONS = [
  'KeyConditionExpression',
  'FilterExpression',
  'UpdateExpression',
  'ConditionExpression',
  'ProjectionExpression',
] as const;

type Operation = Record<string, unknown> & {
  ExpressionAttributeValues?: Record<string, unknown>;
  ExpressionAttributeNames?: Record<string, string>;
};

/** The problems of one operation's expressions (empty when DynamoDB would accept them). */
export function expressionProblems(op: Operation): string[] {
  const text = EXPRESSIONS.map((e) => op[e])
    .filter((e): e is string => typeof e === 'string')
    .join(' ');
  const used = (prefix: ':' | '#') =>
    new Set(text.match(prefix === ':' ? /:[A-Za-z0-9_]+/g : /#[A-Za-z0-9_]+/g) ?? []);
  const problems: string[] = [];
  for (const [prefix, defined] of [
    [':', Object.keys(op.ExpressionAttributeValues ?? {})],
    ['#', Object.keys(op.ExpressionAttributeNames ?? {})],
  ] as const) {
    const inText = used(prefix);
    for (const d of defined) if (!inText.has(d)) problems.push(`${d} is defined but not used`);
    for (const u of inText) if (!defined.includes(u)) problems.push(`${u} is used but not defined`);
  }
  return problems;
}

function operationsOf(input: Record<string, unknown>): Operation[] {
  const transact = input.TransactItems as Record<string, Operation>[] | undefined;
  if (transact) return transact.flatMap((item) => Object.values(item));
  return [input as Operation];
}

export function checkExpressions(client: DynamoDBDocumentClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const problems = operationsOf(args.input as Record<string, unknown>).flatMap(expressionProblems);
      if (problems.length)
        throw Object.assign(
          new Error(`Invalid expression (DynamoDB would refuse it): ${problems.join('; ')}`),
          {
            name: 'ValidationException',
          },
        );
      return next(args);
    },
    { step: 'initialize', name: 'expressionCheck' },
  );
}
