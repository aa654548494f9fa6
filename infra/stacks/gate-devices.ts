// The gate-devices part of the API stack (IoT Core): the gate-decision function, the
// gate-scan topic rule and the device policy. Created in the stack's own scope, so every
// logical ID stays what it was (the device policy is named: a replacement would clash).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnPolicy, CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { GATE_SCAN_RULE } from '../../iot-rules/rules.ts';
import { CapabilityFunction } from '../constructs/capability-function.ts';
import { TABLE_ACCESS } from '../table-access.ts';
import {
  type ApiStackScope,
  type FunctionContext,
  grantGatePublish,
  grantTableAccess,
} from './stack-parts.ts';

/**
 * Gate devices (IoT Core): the gate-scan topic rule from iot-rules/gate-scan.sql invoking
 * the gate-decision function (async, retried, dead-lettered), and the device policy from
 * iot-rules/gate-policy.json that confines each gate to its own client id and topics.
 */
export function addGateDevices(
  stack: ApiStackScope,
  { table, key, environment }: FunctionContext,
): CapabilityFunction {
  const gates = new CapabilityFunction(stack, 'Gates', {
    capability: 'gates',
    environment,
    memorySize: 1024,
    timeout: Duration.seconds(5),
  });
  grantTableAccess(gates, TABLE_ACCESS.gates, { table, key });
  grantGatePublish(stack, gates, 'decision', { retain: false });
  Validations.of(stack).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/gates/*/decision]',
    reason: 'The gate-decision function answers whichever gate scanned, on that gate’s own decision topic.',
  });
  const failed = new Queue(stack, 'GateScanDeadLetters', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(failed).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue of gate scans.',
  });
  gates.fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(failed) });
  const ruleRole = new Role(stack, 'GateScanRuleErrors', {
    assumedBy: new ServicePrincipal('iot.amazonaws.com'),
  });
  failed.grantSendMessages(ruleRole);
  const rule = new CfnTopicRule(stack, 'GateScanRule', {
    topicRulePayload: {
      sql: GATE_SCAN_RULE.sql,
      awsIotSqlVersion: '2016-03-23',
      ruleDisabled: false,
      actions: [{ lambda: { functionArn: gates.fn.functionArn } }],
      errorAction: { sqs: { queueUrl: failed.queueUrl, roleArn: ruleRole.roleArn } },
    },
  });
  gates.fn.addPermission('InvokedByGateScanRule', {
    principal: new ServicePrincipal('iot.amazonaws.com'),
    sourceArn: rule.attrArn,
  });
  const policy = readFileSync(
    fileURLToPath(new URL('../../iot-rules/gate-policy.json', import.meta.url)),
    'utf8',
  )
    .replaceAll('${Partition}', stack.partition)
    .replaceAll('${Region}', stack.region)
    .replaceAll('${Account}', stack.account);
  new CfnPolicy(stack, 'GateDevicePolicy', {
    policyName: stack.gatePolicyName,
    policyDocument: JSON.parse(policy),
  });
  return gates;
}

/**
 * What the function that provisions and retires gates may do in IoT Core: create a thing and
 * its certificate, attach the device policy, detach and deactivate on retirement, and clear
 * a retired gate's retained allowlist.
 */
export function grantGateProvisioning(stack: ApiStackScope, fn: CapabilityFunction) {
  fn.fn.addEnvironment('GATE_POLICY_NAME', stack.gatePolicyName);
  // The provisioning bundle and GET /gates/allowlist-keys carry the public key.
  fn.fn.addToRolePolicy(
    new PolicyStatement({ actions: ['kms:GetPublicKey'], resources: [stack.allowlistKey.keyArn] }),
  );
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['iot:CreateThing', 'iot:AttachThingPrincipal'],
      resources: [stack.formatArn({ service: 'iot', resource: 'thing', resourceName: '*' })],
    }),
  );
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['iot:AttachPolicy'],
      resources: [
        stack.formatArn({ service: 'iot', resource: 'policy', resourceName: stack.gatePolicyName }),
      ],
    }),
  );
  grantGateRetirement(stack, fn);
  Validations.of(stack).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:cert/*]',
    reason:
      'A gate certificate’s id is only known once IoT has created it; retiring a gate deactivates whichever certificates its thing holds.',
  });
  // CreateKeysAndCertificate and DescribeEndpoint have no resource-level permissions.
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['iot:CreateKeysAndCertificate', 'iot:DescribeEndpoint'],
      resources: ['*'],
    }),
  );
}

/**
 * Retiring gates (a gate lost or replaced; every gate of a closed site): the thing's
 * certificates detached and set INACTIVE, its retained allowlist cleared.
 */
export function grantGateRetirement(stack: ApiStackScope, fn: CapabilityFunction) {
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['iot:ListThingPrincipals', 'iot:DetachThingPrincipal'],
      resources: [stack.formatArn({ service: 'iot', resource: 'thing', resourceName: '*' })],
    }),
  );
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['iot:UpdateCertificate'],
      resources: [stack.formatArn({ service: 'iot', resource: 'cert', resourceName: '*' })],
    }),
  );
  grantGatePublish(stack, fn, 'allowlist/*', { retain: true });
}
