import { describe, expect, it } from 'vitest';
import { expressionProblems } from '../../functions/shared/dynamo/expression-check.ts';

describe('expression placeholders, checked as DynamoDB checks them', () => {
  it.each([
    [
      'all used and defined',
      { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 1 } },
      [],
    ],
    [
      'a value defined but unused',
      { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 1, ':site': 2 } },
      [':site is defined but not used'],
    ],
    [
      'a value used but undefined',
      { UpdateExpression: 'SET a = :a, b = :b', ExpressionAttributeValues: { ':a': 1 } },
      [':b is used but not defined'],
    ],
    [
      'names across condition and update',
      {
        UpdateExpression: 'SET #s = :s',
        ConditionExpression: '#v = :v',
        ExpressionAttributeNames: { '#s': 'status', '#v': 'version' },
        ExpressionAttributeValues: { ':s': 1, ':v': 2 },
      },
      [],
    ],
    [
      'a name defined but unused',
      { ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeNames: { '#s': 'status' } },
      ['#s is defined but not used'],
    ],
    ['no expressions at all', { Key: { pk: 'x' } }, []],
  ])('%s', (_, op, problems) => {
    expect(expressionProblems(op)).toEqual(problems);
  });
});
