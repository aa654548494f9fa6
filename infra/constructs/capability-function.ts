// One Lambda per capability, all alike: Node.js 24 on ARM64, bundled by esbuild with the
// shared options and code splitting (infra/bundling.ts), its own log group with a retention, and its own role that can write
// only to that log group; data access is granted per capability by the stack.
import { copyFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundleFunction, FUNCTION_FILES, HANDLER_FILE, handlerEntry } from '../bundling.ts';

export interface CapabilityFunctionProps {
  capability: string;
  environment?: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
}

const BRAND = Symbol.for('special-ops.CapabilityFunction');

export class CapabilityFunction extends Construct {
  /** Like CDK's own `isConstruct`: true across module copies (instanceof is not, under tsx). */
  static isCapabilityFunction(x: unknown): x is CapabilityFunction {
    return typeof x === 'object' && x !== null && BRAND in x;
  }

  readonly fn: LambdaFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: CapabilityFunctionProps) {
    super(scope, id);
    Object.defineProperty(this, BRAND, { value: true });
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
    const entry = handlerEntry(props.capability);
    this.fn = new LambdaFunction(this, 'Function', {
      code: Code.fromAsset(dirname(entry), {
        // The hash of what is deployed, not of the sources: a change in a shared module
        // or a dependency changes the function, an unrelated edit does not.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Bundled on this machine with the pinned esbuild; the image is never pulled.
          image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
          local: {
            tryBundle(outputDir) {
              bundleFunction(entry, outputDir);
              for (const file of FUNCTION_FILES[props.capability] ?? [])
                copyFileSync(file, join(outputDir, basename(file)));
              return true;
            },
          },
        },
      }),
      handler: `${HANDLER_FILE.replace(/\.mjs$/, '')}.handler`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      // X-Ray: the Powertools tracer captures every SDK client (functions/shared/tracer.ts).
      tracing: Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `special-ops-${props.capability}`,
        ...props.environment,
      },
    });
  }
}
