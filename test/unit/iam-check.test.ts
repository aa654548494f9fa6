import { describe, expect, it } from 'vitest';
import { requiredActions } from '../../infra/local/iam-check.ts';

describe('the IAM actions a DynamoDB call needs (local grant check)', () => {
  it.each([
    ['GetItemCommand', {}, ['dynamodb:GetItem']],
    ['QueryCommand', { IndexName: 'gsi2' }, ['dynamodb:Query']],
    ['BatchGetItemCommand', {}, ['dynamodb:BatchGetItem']],
    ['TransactGetItemsCommand', {}, ['dynamodb:GetItem']],
    [
      'TransactWriteItemsCommand',
      { TransactItems: [{ Put: {} }, { Update: {} }, { ConditionCheck: {} }, { Put: {} }] },
      ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
    ],
  ])('%s', (command, input, actions) => {
    expect(requiredActions(command, input)).toEqual(actions);
  });
});
