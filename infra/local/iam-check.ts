// The local stand-in for the functions' IAM policies on the table: every DynamoDB call a
// handler makes is checked against what CDK grants its function (infra/table-access.ts),
// and refused with AccessDeniedException as AWS would. The capability whose code is
// running is carried by AsyncLocalStorage, set by the gateway and the work poller.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_ACCESS } from '../table-access.ts';

type Grantee = keyof typeof TABLE_ACCESS;

const running = new AsyncLocalStorage<Grantee>();

/** Runs handler code as the named function: its DynamoDB calls are checked against its grants. */
export async function asFunction<T>(grantee: Grantee, run: () => Promise<T>): Promise<T> {
  const { allAdapters } = await import('../../functions/composition-root.ts');
  enforceTableAccess(allAdapters().db);
  return running.run(grantee, run);
}

const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/** The IAM actions a call needs (TransactWriteItems needs each item's own action). */
export function requiredActions(commandName: string, input: Record<string, unknown>): string[] {
  const operation = commandName.replace(/Command$/, '');
  if (operation === 'TransactWriteItems')
    return [
      ...new Set(
        (input.TransactItems as Record<string, unknown>[]).flatMap((item) =>
          Object.keys(item).map((k) => TRANSACT_ACTIONS[k] ?? `dynamodb:${k}`),
        ),
      ),
    ];
  if (operation === 'TransactGetItems') return ['dynamodb:GetItem'];
  return [`dynamodb:${operation}`];
}

const installed = new WeakSet<DynamoDBDocumentClient>();

export function enforceTableAccess(db: DynamoDBDocumentClient): void {
  if (installed.has(db)) return;
  installed.add(db);
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const grantee = running.getStore();
      if (grantee) {
        const access = TABLE_ACCESS[grantee];
        const input = args.input as Record<string, unknown>;
        const missing = requiredActions(String(context.commandName), input).filter(
          (a) => !access.actions.includes(a),
        );
        if (input.IndexName && !access.indexes) missing.push(`${String(input.IndexName)} (index)`);
        if (missing.length)
          throw Object.assign(
            new Error(`The ${grantee} function is not granted ${missing.join(', ')} (infra/table-access.ts)`),
            { name: 'AccessDeniedException' },
          );
      }
      return next(args);
    },
    { step: 'initialize', name: 'localIamCheck' },
  );
}
