// The china deployment profile (`cdk synth -c profile=china`): what the AWS China regions do
// not offer — Cognito user pools, SES, Rekognition, Textract, End User Messaging SMS — is
// neither created nor granted; identity is the customer's OIDC issuer; mail is SMTP; and no
// ARN in either profile's templates names a partition literally.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';

const CHINA = {
  profile: 'china',
  oidcIssuer: 'https://idp.example.cn/realms/acme',
  oidcAudience: 'special-ops-api',
};
// The templates are what this file asserts: bundling the functions (done, and checked, by
// stacks.test.ts) is skipped here — it was two thirds of the suite's longest file.
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

let china: ReturnType<typeof buildApp>;
let api: Template;
let globalApp: ReturnType<typeof buildApp>;

beforeAll(() => {
  china = buildApp(new App({ context: { ...CHINA, ...NO_BUNDLING } }));
  api = Template.fromStack(china.api);
  globalApp = buildApp(new App({ context: NO_BUNDLING }));
}, 180_000);

const allActions = (t: Template): string[] =>
  Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) =>
    (
      p as { Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } } }
    ).Properties.PolicyDocument.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])),
  );

describe('the china profile', () => {
  it('creates no Cognito, SES, Rekognition, Textract or SMS resource, and grants none of them', () => {
    const types = Object.values(api.toJSON().Resources as Record<string, { Type: string }>).map(
      (r) => r.Type,
    );
    expect(types.filter((t) => /Cognito|SES/.test(t))).toEqual([]);
    expect(
      allActions(api).filter((a) => /^(cognito-idp|ses|rekognition|textract|sms-voice):/.test(a)),
    ).toEqual([]);
    // The global profile does have them: the test would notice if the branch flipped.
    const global = Template.fromStack(globalApp.api);
    expect(Object.keys(global.findResources('AWS::Cognito::UserPool'))).toHaveLength(1);
    expect(allActions(global)).toEqual(
      expect.arrayContaining(['ses:SendRawEmail', 'rekognition:CompareFaces']),
    );
  });

  it('checks tokens of the customer’s OIDC issuer; the users function creates no accounts there', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: CHINA.oidcIssuer, Audience: [CHINA.oidcAudience] },
    });
    const fns = Object.values(api.findResources('AWS::Lambda::Function')) as {
      Properties: { Environment?: { Variables?: Record<string, string> } };
    }[];
    // Only who the token names is read: no claim-name mapping, no pool for the users function.
    expect(fns.filter((f) => f.Properties.Environment?.Variables?.CLAIM_NAMES)).toEqual([]);
    expect(fns.filter((f) => f.Properties.Environment?.Variables?.USER_POOL_ID)).toEqual([]);
    // No route asks for a Cognito scope.
    const routes = Object.values(api.findResources('AWS::ApiGatewayV2::Route')) as {
      Properties: { AuthorizationScopes?: string[] };
    }[];
    expect(routes.filter((r) => r.Properties.AuthorizationScopes?.length)).toEqual([]);
  });

  it('sends mail over SMTP with the account from a secret, and admission through a domestic provider or not at all', () => {
    const fns = Object.values(api.findResources('AWS::Lambda::Function')) as {
      Properties: { Environment?: { Variables?: Record<string, unknown> } };
    }[];
    const jobs = fns.find((f) => f.Properties.Environment?.Variables?.REPORT_SENDER);
    expect(jobs?.Properties.Environment?.Variables).toMatchObject({
      MAIL_PROVIDER: 'smtp',
      SMTP_SECRET_ID: 'special-ops/smtp',
    });
    expect(JSON.stringify(api.toJSON())).toContain('secret:special-ops/smtp-??????');
    const onboarding = fns.find((f) => f.Properties.Environment?.Variables?.FACE_PROVIDER);
    expect(onboarding?.Properties.Environment?.Variables).toMatchObject({
      FACE_PROVIDER: 'none',
      OCR_PROVIDER: 'none',
    });
    expect(() => buildApp(new App({ context: { ...CHINA, faceProvider: 'rekognition' } }))).toThrow(
      /not offered in the AWS China regions/,
    );
  });

  it('refuses to synthesize without an OIDC issuer, and refuses an unknown profile', () => {
    expect(() => buildApp(new App({ context: { profile: 'china' } }))).toThrow(/oidcIssuer/);
    expect(() => buildApp(new App({ context: { profile: 'mars' } }))).toThrow(/"global" or "china"/);
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    const report = new AwsSolutionsChecks().validateScope(china.app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('builds every ARN from the partition in both profiles (no literal arn:aws:)', () => {
    for (const built of [china, globalApp])
      for (const stack of [built.data, built.api]) {
        const text = JSON.stringify(Template.fromStack(stack).toJSON());
        expect(text.match(/arn:aws(-cn|-us-gov)?:[a-z]/g) ?? []).toEqual([]);
      }
  });
});
