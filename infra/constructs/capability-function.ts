// One Lambda per capability, all alike: Node.js 24 on ARM64, bundled by esbuild with the
// shared options, its own log group with a retention, and its own role that can write
// only to that log group; data access is granted per capability by the stack.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ESBUILD_OPTIONS, ESM_REQUIRE_BANNER, handlerEntry } from '../bundling.ts';

export interface CapabilityFunctionProps {
  capability: string;
  environment?: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
}

export class CapabilityFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: CapabilityFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.capability} function`,
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.fn = new NodejsFunction(this, 'Function', {
      entry: handlerEntry(props.capability),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `special-ops-${props.capability}`,
        ...props.environment,
      },
      bundling: {
        minify: ESBUILD_OPTIONS.minify,
        sourceMap: ESBUILD_OPTIONS.sourcemap,
        format: OutputFormat.ESM,
        target: ESBUILD_OPTIONS.target,
        mainFields: ESBUILD_OPTIONS.mainFields,
        externalModules: ESBUILD_OPTIONS.external,
        banner: ESM_REQUIRE_BANNER,
      },
    });
  }
}
