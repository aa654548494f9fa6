// Template assertions on the synthesized CDK app, cdk-nag's AwsSolutions pack, and
// cfn-lint when it is installed.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULES } from '../../functions/jobs/schedules.ts';
import { permitWorkflowDefinition } from '../../functions/permits/permit-workflow-definition.ts';
import { TABLE_DESIGN } from '../../functions/shared/dynamo/table-design.ts';
import { buildApp } from '../../infra/app.ts';
import { GATE_SCAN_RULE } from '../../iot-rules/rules.ts';
import { ROUTES, routeKey } from '../../schemas/routes.ts';
import { handlerCapabilities } from '../support/handlers.ts';

let app: App;
let data: Template;
let api: Template;
let monitoring: Template;

beforeAll(() => {
  // With the operators' group robot configured: the alarm relay is part of what is checked.
  // Bundling is skipped: the templates are what this file asserts; the functions' builds are
  // checked, with the same options, by function-assets.test.ts (~40 s less of this file).
  const built = buildApp(
    new App({ context: { alarmRobotSecret: 'special-ops/alarm-robot', 'aws:cdk:bundling-stacks': [] } }),
  );
  app = built.app;
  data = Template.fromStack(built.data);
  api = Template.fromStack(built.api);
  monitoring = Template.fromStack(built.monitoring);
}, 120_000);

type Statement = { Action: string | string[]; Resource: unknown };

function statementsOf(template: Template, logicalIdPrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.entries(policies)
    .filter(([id]) => id.startsWith(logicalIdPrefix))
    .flatMap(
      ([, p]) =>
        (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
          .Statement,
    );
}

const actionsOf = (statements: Statement[]) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe('the data stack', () => {
  it('has one table built from the shared design: on-demand, PITR, TTL, customer-managed key, deletion protection', () => {
    data.resourceCountIs('AWS::DynamoDB::Table', 1);
    data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: TABLE_DESIGN.timeToLiveAttribute, Enabled: true },
        SSESpecification: Match.objectLike({
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: Match.anyValue(),
        }),
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: TABLE_DESIGN.globalSecondaryIndexes.map((gsi) =>
          Match.objectLike({
            IndexName: gsi.indexName,
            Projection: { ProjectionType: gsi.projection },
            KeySchema: [
              { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
              { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
            ],
          }),
        ),
      }),
    });
    data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});

describe('the API stack', () => {
  it('runs every function on Node.js 24, ARM64, with its own log group with a retention', () => {
    const functions = api.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions).length).toBeGreaterThanOrEqual(7);
    for (const fn of Object.values(functions) as { Properties: Record<string, unknown> }[]) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.LoggingConfig).toMatchObject({ LogGroup: expect.anything() });
    }
    const groups = Object.values(api.findResources('AWS::Logs::LogGroup')) as {
      Properties: { RetentionInDays?: number };
    }[];
    expect(groups.every((g) => (g.Properties.RetentionInDays ?? 0) > 0)).toBe(true);
  });

  it('never lets a deployed function call plain http on loopback (the local runtime’s outbound allowance)', () => {
    for (const template of [data, api])
      for (const fn of Object.values(template.findResources('AWS::Lambda::Function')) as {
        Properties: { Environment?: { Variables?: Record<string, unknown> } };
      }[])
        expect(fn.Properties.Environment?.Variables ?? {}).not.toHaveProperty('OUTBOUND_ALLOW_LOCAL_HTTP');
  });

  it('deploys one function per handler of functions/, each the build of its own handler (checked in function-assets.test.ts)', () => {
    const services = [data, api, monitoring].flatMap((t) =>
      (
        Object.values(t.findResources('AWS::Lambda::Function')) as {
          Properties: { Handler?: string; Environment?: { Variables?: Record<string, string> } };
        }[]
      ).flatMap((fn) => {
        const service = fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME;
        if (!service) return [];
        expect(fn.Properties.Handler).toBe('index.handler');
        return [service.replace(/^special-ops-/, '')];
      }),
    );
    expect(services.sort()).toEqual(handlerCapabilities());
  });

  it('has exactly the routes of schemas/routes.ts, with the JWT authorizer and API scope on every non-public one', () => {
    const routes = Object.values(api.findResources('AWS::ApiGatewayV2::Route')) as {
      Properties: Record<string, unknown>;
    }[];
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(ROUTES.map(routeKey).sort());
    for (const def of ROUTES) {
      const route = routes.find((r) => r.Properties.RouteKey === routeKey(def));
      if (def.auth) {
        expect(route?.Properties).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizationScopes: ['compliance/api'],
        });
      } else {
        expect(route?.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
      }
    }
    api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: Match.objectLike({ Audience: Match.anyValue(), Issuer: Match.anyValue() }),
    });
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('keeps identity in the pool and authority in the directory: no token trigger, MFA on, the pool’s shape unchanged', () => {
    api.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      // As first deployed: other usernames or fewer attributes would replace the pool and its accounts.
      UsernameAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([Match.objectLike({ Name: 'tenantId', Mutable: false })]),
    });
    const pool = Object.values(api.findResources('AWS::Cognito::UserPool'))[0] as {
      Properties: { LambdaConfig?: unknown };
    };
    expect(pool.Properties.LambdaConfig).toBeUndefined(); // roles are no longer copied into tokens
    api.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'compliance',
      Scopes: [Match.objectLike({ ScopeName: 'api' })],
    });
  });

  it('grants the users function only the Cognito actions it calls, on its own pool, and nobody else any', () => {
    const users = statementsOf(api, 'UserDirectory').filter((st) =>
      JSON.stringify(st.Action).includes('cognito-idp'),
    );
    expect(users).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminDisableUser',
          'cognito-idp:AdminEnableUser',
          'cognito-idp:AdminDeleteUser',
        ],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Users[0-9A-F]{8}$/), 'Arn'] },
      },
    ]);
    // A departure (people) and the sweep on a departure's day (jobs) disable a leaver's own
    // accounts: that one action, on the same pool.
    for (const id of ['People', 'Jobs']) {
      const disable = statementsOf(api, id).filter((st) => JSON.stringify(st.Action).includes('cognito-idp'));
      expect(disable).toEqual([
        {
          Effect: 'Allow',
          Action: 'cognito-idp:AdminDisableUser',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Users[0-9A-F]{8}$/), 'Arn'] },
        },
      ]);
    }
    for (const [id, p] of Object.entries(api.findResources('AWS::IAM::Policy'))) {
      if (['UserDirectory', 'People', 'Jobs'].some((f) => id.startsWith(f))) continue;
      expect(JSON.stringify(p), id).not.toContain('cognito-idp:');
    }
    const fn = Object.entries(api.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('UserDirectory'),
    );
    const env = (
      (fn as [string, unknown])[1] as { Properties: { Environment: { Variables: Record<string, unknown> } } }
    ).Properties.Environment.Variables;
    expect(env.USER_POOL_ID).toEqual({ Ref: expect.stringMatching(/^Users[0-9A-F]{8}$/) });
    expect(env.USER_POOL_ISSUER).toBeDefined();
    expect(env.NOTIFICATION_SENDER).toBeDefined();
  });

  it('grants each function only what its capability needs', () => {
    expect(actionsOf(statementsOf(api, 'Health'))).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      // Active tracing: its segments to X-Ray (functions/shared/tracer.ts).
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'dynamodb:DescribeTable',
    ]);
    const sites = actionsOf(statementsOf(api, 'Sites'));
    expect(sites).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem']));
    expect(sites).not.toContain('dynamodb:DeleteItem');
    expect(sites).not.toContain('secretsmanager:GetSecretValue');
    const people = statementsOf(api, 'People');
    expect(actionsOf(people)).toContain('secretsmanager:GetSecretValue');
    expect(JSON.stringify(people)).toContain('/index/gsi1');
    const all = JSON.stringify(api.findResources('AWS::IAM::Policy'));
    // Registry client certificates are never read with a function's own role.
    for (const [id, p] of Object.entries(api.findResources('AWS::IAM::Policy'))) {
      if (id.startsWith('RegistryCertificate')) continue;
      expect(JSON.stringify(p)).not.toContain('special-ops/registry');
    }
    expect(all).not.toContain('dynamodb:*');
    expect(all).not.toContain('dynamodb:DeleteItem');
  });
});

describe('admission evidence (onboarding)', () => {
  it('keeps images in a private, TLS-only bucket under the data key, face images expiring before documents', () => {
    const buckets = data.findResources('AWS::S3::Bucket');
    const evidence = Object.entries(buckets).find(
      ([id]) => id.startsWith('Evidence') && !id.includes('Logs'),
    );
    expect(evidence).toBeDefined();
    const props = ((evidence as [string, unknown])[1] as { Properties: Record<string, any> }).Properties;
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const sse = props.BucketEncryption.ServerSideEncryptionConfiguration[0];
    expect(sse.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(JSON.stringify(sse.ServerSideEncryptionByDefault.KMSMasterKeyID)).toContain('DataKey');
    expect(props.LoggingConfiguration).toBeDefined();
    const rules = props.LifecycleConfiguration.Rules as { Prefix?: string; ExpirationInDays?: number }[];
    const days = (prefix: string) => rules.find((r) => r.Prefix === prefix)?.ExpirationInDays as number;
    expect(days('face/')).toBe(90);
    expect(days('documents/')).toBeGreaterThan(3 * 365);
    // Archives (E3) go after the days the API offers them; records/ (kept per document, by the
    // daily records expiry) has no rule of its own.
    expect(days('archives/')).toBe(90);
    expect(rules.some((r) => r.Prefix === 'records/')).toBe(false);
    // TLS only: a bucket policy denies aws:SecureTransport=false.
    expect(JSON.stringify(data.findResources('AWS::S3::BucketPolicy'))).toContain('aws:SecureTransport');
  });

  it('lets only the onboarding function touch the images, on its two prefixes, and call the face and OCR services; the blacklist only checks they exist', () => {
    const onboarding = statementsOf(api, 'Onboarding');
    const text = JSON.stringify(onboarding);
    expect(actionsOf(onboarding)).toEqual(
      expect.arrayContaining([
        's3:GetObject',
        's3:PutObject',
        's3:DeleteObject',
        's3:ListBucket',
        'rekognition:CreateFaceLivenessSession',
        'rekognition:CompareFaces',
        'textract:DetectDocumentText',
      ]),
    );
    expect(text).toContain('/face/*');
    expect(text).toContain('/documents/*');
    expect(text).not.toContain('s3:*');
    // The blacklist reads (HeadObject) the evidence an entry cites: those two prefixes, nothing else.
    const blacklist = statementsOf(api, 'Blacklist');
    const s3 = actionsOf(blacklist).filter((a: string) => a.startsWith('s3:'));
    expect(s3.sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(JSON.stringify(blacklist)).toContain('/documents/*');
    expect(JSON.stringify(blacklist)).not.toMatch(/rekognition:|textract:|s3:\*/);
    // A person's data rights (privacy) and the retention erasure (jobs): the person's files
    // and their copies, no face or OCR service.
    for (const id of ['Privacy', 'Jobs']) {
      const text = JSON.stringify(statementsOf(api, id));
      expect(text).toContain('/exports/*');
      expect(text).not.toMatch(/rekognition:|textract:|s3:\*/);
    }
    // The records expiry (jobs) deletes documents under records/, and reads none of them.
    const recordStatements = statementsOf(api, 'Jobs').filter((s) =>
      JSON.stringify(s).includes('/records/*'),
    );
    expect(actionsOf(recordStatements)).toEqual(['s3:DeleteObject']);
    expect(JSON.stringify(statementsOf(api, 'Jobs'))).not.toContain('/archives/*');
    // Ledger uploads (imports): their presigned PUT and reading, under imports/ only.
    const imports = JSON.stringify(statementsOf(api, 'Imports'));
    expect(imports).toContain('/imports/*');
    expect(imports).not.toMatch(/\/face\/\*|\/documents\/\*|s3:DeleteObject/);
    // The regulator's file (archives, and the worker that builds them): records/ and archives/ only.
    for (const id of ['Archives', 'Worker']) {
      const text = JSON.stringify(statementsOf(api, id));
      expect(text).toContain('/records/*');
      expect(text).toContain('/archives/*');
      expect(text).not.toMatch(/\/face\/\*|\/documents\/\*|rekognition:|textract:|s3:\*/);
    }
    for (const [id, p] of Object.entries(api.findResources('AWS::IAM::Policy'))) {
      if (
        ['Onboarding', 'Blacklist', 'Privacy', 'Jobs', 'Imports', 'Archives', 'Worker'].some((f) =>
          id.startsWith(f),
        )
      )
        continue;
      const other = JSON.stringify(p);
      expect(other).not.toMatch(/rekognition:|textract:|"s3:(Get|Put|Delete)Object"/);
    }
    const fn = Object.entries(api.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('Onboarding'),
    );
    const env = (
      (fn as [string, unknown])[1] as { Properties: { Environment: { Variables: Record<string, unknown> } } }
    ).Properties.Environment.Variables;
    expect(env).toMatchObject({ FACE_PROVIDER: 'rekognition', OCR_PROVIDER: 'textract' });
    expect(env.EVIDENCE_BUCKET).toBeDefined();
    // No identity provider exists in AWS: unset, the step answers 501 rather than pass.
    expect(env).not.toHaveProperty('IDENTITY_PROVIDER');
  });
});

describe('registry client certificates', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template
  const tenantTag = '${aws:PrincipalTag/tenantId}';

  it('are read only through a role that admits the secret tagged with the session’s own tenant', () => {
    const reader = statementsOf(api, 'RegistryCertificateReader');
    expect(reader).toEqual([
      expect.objectContaining({
        Action: 'secretsmanager:GetSecretValue',
        Condition: { StringEquals: { 'secretsmanager:ResourceTag/tenantId': tenantTag } },
      }),
    ]);
    const writer = statementsOf(api, 'RegistryCertificateWriter');
    expect(writer).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
          Condition: expect.objectContaining({ StringEquals: { 'aws:RequestTag/tenantId': tenantTag } }),
        }),
        expect.objectContaining({
          Action: 'secretsmanager:PutSecretValue',
          Condition: { StringEquals: { 'secretsmanager:ResourceTag/tenantId': tenantTag } },
        }),
      ]),
    );
  });

  it('are reached by the functions that need them, with the session tag, and by no other', () => {
    for (const name of ['Verification', 'Worker', 'Settings']) {
      const statements = statementsOf(api, name);
      expect(actionsOf(statements)).toEqual(expect.arrayContaining(['sts:AssumeRole', 'sts:TagSession']));
    }
    for (const name of ['Sites', 'People', 'Batches', 'Gates', 'Health']) {
      expect(actionsOf(statementsOf(api, name))).not.toContain('sts:AssumeRole');
    }
  });
});

describe('scheduled jobs', () => {
  it('fires every schedule of functions/jobs/schedules.ts in its time zone, with retries and a dead-letter queue', () => {
    const schedules = Object.values(api.findResources('AWS::Scheduler::Schedule')) as {
      Properties: Record<string, any>;
    }[];
    expect(schedules).toHaveLength(SCHEDULES.length);
    for (const def of SCHEDULES) {
      const schedule = schedules.find(
        (s) =>
          s.Properties.ScheduleExpression === def.expression &&
          s.Properties.Target?.Input === JSON.stringify({ job: def.job }),
      );
      expect(schedule?.Properties).toMatchObject({
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        State: 'ENABLED',
        Target: {
          Input: JSON.stringify({ job: def.job }),
          RetryPolicy: { MaximumRetryAttempts: 3 },
          DeadLetterConfig: { Arn: expect.anything() },
        },
      });
    }
  });

  it('gives the channel credentials the same tenant guard as the registry certificate', () => {
    for (const role of ['RegistryCertificateReader', 'RegistryCertificateWriter']) {
      const secrets = JSON.stringify(statementsOf(api, role));
      expect(secrets).toContain('secret:special-ops/channels/*');
      expect(secrets).toContain('secret:special-ops/registry/*');
      expect(secrets).toContain('${aws:PrincipalTag/tenantId}');
    }
    // The worker delivers (reads the credentials), the notifications function stores them.
    const worker = JSON.stringify(statementsOf(api, 'Worker'));
    const notifications = JSON.stringify(statementsOf(api, 'Notifications'));
    expect(worker).toContain('sts:AssumeRole');
    expect(worker).toContain('ses:SendRawEmail');
    expect(notifications).toContain('sts:AssumeRole');
    expect(JSON.stringify(statementsOf(api, 'Jobs'))).toContain('sqs:SendMessage');
  });

  it('turns SES bounces and complaints of notification mail into work messages that suppress the address', () => {
    api.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    api.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: { Enabled: true, MatchingEventTypes: ['bounce', 'complaint'] },
    });
    const rules = Object.values(api.findResources('AWS::Events::Rule')) as {
      Properties: Record<string, any>;
    }[];
    const mail = rules.find((r) => r.Properties.EventPattern?.source?.[0] === 'aws.ses');
    expect(mail?.Properties.EventPattern['detail-type']).toEqual([
      'Email Bounced',
      'Email Complaint Received',
    ]);
    expect(JSON.stringify(mail?.Properties.Targets)).toContain('mail-event');
    expect(JSON.stringify(mail?.Properties.Targets)).toContain('$.detail.mail.tags.personId[0]');
  });

  it('lets the jobs function read the sweep index', () => {
    expect(JSON.stringify(statementsOf(api, 'Jobs'))).toContain('/index/gsi4');
  });

  it('lets the tickets function arm and drop one-time expiry schedules in its own group, invoking the jobs', () => {
    api.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'SpecialOpsApi-tickets' });
    const tickets = statementsOf(api, 'Tickets');
    const scheduling = tickets.find((s) => JSON.stringify(s.Action).includes('scheduler:'));
    expect(scheduling?.Action).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']);
    expect(JSON.stringify(scheduling?.Resource)).toContain(':schedule/SpecialOpsApi-tickets/*');
    const passRole = tickets.find((s) => s.Action === 'iam:PassRole');
    expect(JSON.stringify(passRole?.Resource)).toContain('TicketTimerRole');
    api.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      }),
    });
    expect(JSON.stringify(statementsOf(api, 'TicketTimerRole'))).toContain('lambda:InvokeFunction');
    const fn = Object.entries(api.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('TicketsFunction'),
    );
    expect(Object.keys((fn as [string, any])[1].Properties.Environment.Variables)).toEqual(
      expect.arrayContaining([
        'TICKET_SCHEDULE_GROUP',
        'TICKET_EXPIRY_TARGET_ARN',
        'TICKET_SCHEDULE_ROLE_ARN',
      ]),
    );
  });
});

describe('cross-site permit workflow', () => {
  it('runs the shared ASL definition as a standard, logged, traced state machine with narrow grants', () => {
    const machines = Object.entries(api.findResources('AWS::StepFunctions::StateMachine')) as [string, any][];
    expect(machines).toHaveLength(2); // the permit co-sign and the alliance propagation
    const props = (machines.find(([id]) => id.startsWith('PermitWorkflow')) as [string, any])[1].Properties;
    expect(props.StateMachineType).toBe('STANDARD');
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(props.LoggingConfiguration.Level).toBe('ALL');
    const definition = JSON.stringify(props.DefinitionString);
    for (const state of Object.keys(
      permitWorkflowDefinition({ tableName: 't', queueUrl: 'q', partition: 'aws' }).States,
    ))
      expect(definition).toContain(state);
    expect(definition).toContain('sqs:sendMessage.waitForTaskToken');
    expect(definition).not.toContain('arn:aws:');
    const role = actionsOf(statementsOf(api, 'PermitWorkflowRole'));
    expect(role).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'sqs:SendMessage']));
    expect(role).not.toContain('dynamodb:PutItem');
    expect(actionsOf(statementsOf(api, 'Permits'))).toEqual(
      expect.arrayContaining(['states:StartExecution', 'states:SendTaskSuccess', 'states:DescribeExecution']),
    );
    expect(actionsOf(statementsOf(api, 'Worker'))).toEqual(
      expect.arrayContaining(['states:SendTaskSuccess', 'states:SendTaskFailure']),
    );
    expect(actionsOf(statementsOf(api, 'Tickets'))).not.toContain('states:StartExecution');
  });
});

describe('alliance propagation workflow', () => {
  it('runs the shared ASL definition, started by the blacklist function, answered by the worker, writing delivery records only', () => {
    const machines = Object.entries(api.findResources('AWS::StepFunctions::StateMachine')) as [string, any][];
    const props = (machines.find(([id]) => id.startsWith('PropagationWorkflow')) as [string, any])[1]
      .Properties;
    expect(props.StateMachineType).toBe('STANDARD');
    expect(props.LoggingConfiguration.IncludeExecutionData).toBe(false);
    const definition = JSON.stringify(props.DefinitionString);
    for (const state of ['Deliver to each partner', 'Deliver', 'Record delivery', 'Record failure'])
      expect(definition).toContain(state);
    expect(definition).not.toContain('arn:aws:');
    const role = actionsOf(statementsOf(api, 'PropagationWorkflowRole'));
    expect(role).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'sqs:SendMessage']));
    expect(role).not.toContain('dynamodb:PutItem');
    expect(role).not.toContain('dynamodb:DeleteItem');
    expect(actionsOf(statementsOf(api, 'Blacklist'))).toContain('states:StartExecution');
    expect(actionsOf(statementsOf(api, 'Federation'))).not.toContain('states:StartExecution');
  });
});

describe('gate devices', () => {
  it('deploys the gate-scan rule from its SQL file, invoking the gate function, with an error action', () => {
    api.hasResourceProperties('AWS::IoT::TopicRule', {
      TopicRulePayload: Match.objectLike({
        Sql: GATE_SCAN_RULE.sql,
        Actions: [{ Lambda: { FunctionArn: Match.anyValue() } }],
        ErrorAction: { Sqs: Match.objectLike({ QueueUrl: Match.anyValue() }) },
      }),
    });
  });

  it('confines each device to its own client id and topics through the thing-name policy variable', () => {
    const policies = Object.values(api.findResources('AWS::IoT::Policy')) as {
      Properties: { PolicyDocument: unknown };
    }[];
    expect(policies).toHaveLength(1);
    const doc = JSON.stringify(policies[0]?.Properties.PolicyDocument);
    expect(doc).toContain('client/${iot:Connection.Thing.ThingName}');
    expect(doc).toContain('topic/gates/${iot:Connection.Thing.ThingName}/scan');
    expect(doc).not.toMatch(/topic\/gates\/\*/);
  });
});

describe('gate allowlists', () => {
  it('signs with an asymmetric P-256 KMS key that is kept when the stack goes', () => {
    api.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
      DeletionPolicy: 'Retain',
    });
  });

  it('lets only the jobs (allowlists, audit seals), tickets (signed tickets) and verification (worker codes) sign, and only the jobs and gate retirement (a gate, or a closed site’s) publish retained lists, on allowlist topics only', () => {
    const statements = Object.values(api.findResources('AWS::IAM::Policy')).flatMap(
      (p: any) => p.Properties.PolicyDocument.Statement,
    );
    const signing = statements.filter((s: any) => [s.Action].flat().includes('kms:Sign'));
    expect(signing).toHaveLength(4);
    // Worker codes and audit seals: the tenants' own keys only (tagged purpose=worker-code), not the service key.
    const tenantSigning = signing.filter((s: any) => s.Condition);
    expect(tenantSigning).toHaveLength(2);
    for (const s of tenantSigning)
      expect(s.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/purpose': 'worker-code' } });
    const creating = statements.filter((s: any) => [s.Action].flat().includes('kms:CreateKey'));
    expect(creating).toHaveLength(2);
    for (const c of creating)
      expect(c.Condition).toEqual({
        StringEquals: { 'aws:RequestTag/purpose': 'worker-code' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['purpose', 'tenantId'] },
      });
    const signers = Object.entries(api.findResources('AWS::IAM::Policy'))
      .filter(([, p]: [string, any]) => JSON.stringify(p).includes('kms:Sign'))
      .map(([id]) => id.replace(/RoleDefaultPolicy.*/, ''));
    expect(signers.sort()).toEqual(['Jobs', 'Tickets', 'Verification']);
    const publishing = statements.filter((s: any) => [s.Action].flat().includes('iot:RetainPublish'));
    expect(publishing).toHaveLength(3);
    const publishers = Object.entries(api.findResources('AWS::IAM::Policy'))
      .filter(([, p]: [string, any]) => JSON.stringify(p).includes('iot:RetainPublish'))
      .map(([id]) => id.replace(/RoleDefaultPolicy.*/, ''));
    expect(publishers.sort()).toEqual(['Badges', 'Jobs', 'Sites']);
    for (const p of publishing) expect(JSON.stringify(p.Resource)).toContain(':topic/gates/*/allowlist/*');
  });
});

describe('alarms, dashboards, log retention (issue 30)', () => {
  /** The CloudFormation reference an alarm's dimension holds to an API-stack resource (an import). */
  const alarms = () => Object.values(monitoring.findResources('AWS::CloudWatch::Alarm')) as any[];
  const dimensionText = (a: any) => JSON.stringify(a.Properties.Dimensions ?? a.Properties.Metrics ?? []);
  /** The metric names an alarm reads (a plain metric, a MetricStat, or a math expression's). */
  const metricNames = (a: any) =>
    [...JSON.stringify(a.Properties).matchAll(/"MetricName":"([^"]+)"/g)].map((m) => m[1]);
  const logicalIds = (type: string) => Object.keys(api.findResources(type));

  it('alarms on every function’s errors and throttles (and its p99 duration)', () => {
    const functions = logicalIds('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(30);
    for (const fn of functions) {
      const mine = alarms().filter((a) => dimensionText(a).includes(fn));
      const metrics = mine.flatMap(metricNames);
      expect(metrics.join(' '), fn).toContain('Errors');
      expect(metrics.join(' '), fn).toContain('Throttles');
      expect(metrics.join(' '), fn).toContain('Duration');
    }
  });

  it('alarms on every dead-letter queue as soon as one message is in it, and on its age', () => {
    const queues = Object.entries(api.findResources('AWS::SQS::Queue'));
    const dlqs = queues.filter(([id]) => /DeadLetters/.test(id)).map(([id]) => id);
    expect(dlqs.length).toBe(3);
    // Every queue that has a dead-letter queue names one of these.
    for (const [, q] of queues)
      if ((q as any).Properties.RedrivePolicy)
        expect(dlqs.some((d) => JSON.stringify((q as any).Properties.RedrivePolicy).includes(d))).toBe(true);
    for (const dlq of dlqs) {
      const mine = alarms().filter((a) => dimensionText(a).includes(dlq));
      const depth = mine.find((a) => metricNames(a).includes('ApproximateNumberOfMessagesVisible'));
      expect(depth?.Properties, dlq).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(
        mine.some((a) => metricNames(a).includes('ApproximateAgeOfOldestMessage')),
        dlq,
      ).toBe(true);
    }
  });

  it('alarms on failed and timed-out workflow executions, table throttles, API 5xx and the SLO metrics, to one topic', () => {
    for (const machine of logicalIds('AWS::StepFunctions::StateMachine')) {
      const names = alarms()
        .filter((a) => dimensionText(a).includes(machine))
        .flatMap(metricNames);
      expect(names).toEqual(expect.arrayContaining(['ExecutionsFailed', 'ExecutionsTimedOut']));
    }
    const all = alarms();
    const text = JSON.stringify(all);
    for (const metric of [
      'ReadThrottleEvents',
      'WriteThrottleEvents',
      'SystemErrors',
      '5xx',
      'GateDecisionLatency',
      'RegistryCall',
    ])
      expect(text, metric).toContain(metric);
    const topics = Object.keys(monitoring.findResources('AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    for (const a of all) expect(JSON.stringify(a.Properties.AlarmActions)).toContain(topics[0]);
    monitoring.resourceCountIs('AWS::CloudWatch::Dashboard', 3);
    expect(Object.keys(monitoring.findResources('AWS::Logs::QueryDefinition')).length).toBeGreaterThanOrEqual(
      5,
    );
  });

  it('relays every alarm to the operators’ group robot through a function that may read only its secret', () => {
    const subscriptions = Object.values(monitoring.findResources('AWS::SNS::Subscription')) as any[];
    expect(subscriptions.map((s) => s.Properties.Protocol)).toContain('lambda');
    const relay = Object.entries(monitoring.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('AlarmRelay'),
    ) as [string, any];
    expect(relay[1].Properties.Environment.Variables.ALARM_ROBOT_SECRET_ID).toBe('special-ops/alarm-robot');
    const statements = statementsOf(monitoring, 'AlarmRelay');
    const actions = statements.flatMap((st) => [st.Action].flat());
    expect(actions).toEqual(
      expect.arrayContaining(['secretsmanager:GetSecretValue', 'logs:CreateLogStream', 'logs:PutLogEvents']),
    );
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    expect(JSON.stringify(statements)).toContain('secret:special-ops/alarm-robot');
    // Its own failures alarm like any function's (they still reach the e-mail subscribers).
    expect(alarms().some((a) => dimensionText(a).includes(relay[0]))).toBe(true);
  });

  it('alarms on the gate scan rule’s action failures, parse errors and throttling (AWS IoT metrics)', () => {
    const iot = alarms().filter((a) => a.Properties.Namespace === 'AWS/IoT');
    expect(iot.map((a) => a.Properties.MetricName).sort()).toEqual([
      'Failure',
      'ParseError',
      'RuleMessageThrottled',
    ]);
    for (const a of iot) {
      expect(JSON.stringify(a.Properties.Dimensions)).toContain('GateScanRule');
      expect(a.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
    expect(iot.find((a) => a.Properties.MetricName === 'Failure')?.Properties.Dimensions).toEqual(
      expect.arrayContaining([{ Name: 'ActionType', Value: 'Lambda' }]),
    );
  });

  it('alarms when an offline allowlist outlives its refresh, and when the refresh stops running', () => {
    const byMetric = (name: string) => alarms().find((a) => metricNames(a).includes(name))?.Properties;
    expect(byMetric('AllowlistAge')).toMatchObject({
      Threshold: 6 * 3600 + 1800,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      Statistic: 'Maximum',
      Period: 3600,
    });
    expect(byMetric('AllowlistRefresh')).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Period: 7 * 3600,
    });
  });

  it('sets a retention on every log group, and leaves no function to an implicit one', () => {
    for (const template of [data, api, monitoring])
      for (const [id, g] of Object.entries(template.findResources('AWS::Logs::LogGroup')))
        expect((g as any).Properties.RetentionInDays, id).toBeGreaterThan(0);
    for (const [id, f] of Object.entries(api.findResources('AWS::Lambda::Function')))
      expect((f as any).Properties.LoggingConfig?.LogGroup, id).toBeDefined();
  });
});

describe('security checks', () => {
  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const violations = report.violations.map(
      (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
    );
    expect(violations).toEqual([]);
  });

  const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  // cfn-lint is a Python tool: run when installed (CI installs it when it can), as the issue asks.
  it.runIf(cfnLint.status === 0)('passes cfn-lint (W3005 redundant DependsOn from CDK ignored)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfn-'));
    const assembly = app.synth();
    const files = assembly.stacks.map((s) => {
      const file = join(dir, `${s.stackName}.template.json`);
      writeFileSync(file, JSON.stringify(s.template));
      return file;
    });
    const out = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', ...files], { encoding: 'utf8' });
    expect(out.stdout + out.stderr).toBe('');
    expect(out.status).toBe(0);
  });
});
