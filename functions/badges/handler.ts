import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { bindBadge, createGate, revokeBadge } from '../../schemas/routes.ts';
import { DynamoGateStore } from '../gates/gate-store.ts';
import { gateProvisioner } from '../gates/provisioning.ts';
import { findPerson } from '../people/people.ts';
import { auditPut } from '../shared/audit.ts';
import { authorize, canSeeSite } from '../shared/auth/permissions.ts';
import { keys } from '../shared/dynamo/table-design.ts';
import { failedConditions } from '../shared/dynamo/transactions.ts';
import { Conflict, NotFound } from '../shared/errors.ts';
import { httpHandler, on } from '../shared/http/handler.ts';
import { dynamoAdapters } from '../shared/wiring.ts';

const { db, table, people } = dynamoAdapters();
const gates = new DynamoGateStore(db, table);

export const handler = httpHandler([
  on(bindBadge, async ({ principal, params, body, requestId }) => {
    authorize(principal, 'badge:write');
    const person = await findPerson(people, principal, params.personId ?? '');
    return { status: 201, body: await gates.bind(principal, person.personId, body.badgeUid, requestId) };
  }),
  on(createGate, async ({ principal, params, body, requestId }) => {
    authorize(principal, 'gate:create');
    const siteId = params.siteId ?? '';
    const site = await db.send(
      new GetCommand({ TableName: table, Key: keys.site(principal.tenantId, siteId) }),
    );
    if (!site.Item || !canSeeSite(principal, siteId)) throw new NotFound('site_not_found');
    const gateId = `${principal.tenantId}:${siteId}:${body.gate}`;
    // Recorded first, so that a second request is refused before any IoT resource exists.
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: {
                  ...keys.gate(principal.tenantId, gateId),
                  entity: 'gate',
                  gateId,
                  siteId,
                  name: body.name ?? body.gate,
                  status: 'provisioning',
                  createdAt: new Date().toISOString(),
                },
                // A gate whose provisioning failed may be provisioned again.
                ConditionExpression: 'attribute_not_exists(pk) OR #s = :failed',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':failed': 'failed' },
              },
            },
            auditPut(
              table,
              principal,
              { action: 'gate.create', entityType: 'site', entityId: siteId, details: { gateId } },
              requestId,
            ),
          ],
        }),
      );
    } catch (error) {
      if (failedConditions(error)?.includes(0)) throw new Conflict('gate_exists');
      throw error;
    }
    let bundle: Awaited<ReturnType<ReturnType<typeof gateProvisioner>['provision']>>;
    try {
      bundle = await gateProvisioner().provision(gateId);
    } catch (error) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.gate(principal.tenantId, gateId),
          UpdateExpression: 'SET #s = :failed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':failed': 'failed' },
        }),
      );
      throw error;
    }
    await db
      .send(
        new UpdateCommand({
          TableName: table,
          Key: keys.gate(principal.tenantId, gateId),
          UpdateExpression: 'SET #s = :active',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':active': 'active' },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
    return {
      status: 201,
      body: {
        gateId,
        siteId,
        ...bundle,
        topics: {
          scan: `gates/${gateId}/scan`,
          decision: `gates/${gateId}/decision`,
          allowlist: `gates/${gateId}/allowlist`,
        },
      },
    };
  }),
  on(revokeBadge, async ({ principal, params, requestId }) => {
    authorize(principal, 'badge:write');
    const person = await findPerson(people, principal, params.personId ?? '');
    await gates.revoke(principal, person.personId, (params.badgeUid ?? '').toUpperCase(), requestId);
    return { status: 204 };
  }),
]);
