/**
 * The dashboard (`web/`, static files) in a private S3 bucket behind CloudFront. CloudFront also forwards the API's
 * paths to the HTTP API, so the dashboard calls the API on its own origin exactly as it does on the local server (no
 * API address to configure, no CORS between the two). Other origins (a council intranet page) use the API's own
 * address and CORS, which allows the configured `dashboardOrigin` only.
 */
import { Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

export interface DashboardSiteProps {
  /** directory of static files to publish */
  webDir: string;
  /** the HTTP API's endpoint (https://id.execute-api.region.amazonaws.com) */
  apiEndpoint: string;
  /** API paths from the route table, e.g. /scenarios/{id}; CloudFront sends each first segment to the API */
  apiPaths: readonly string[];
  logRetention: logs.RetentionDays;
}

/** `/scenarios/{id}/export.csv` → `/scenarios*`: one CloudFront behaviour per top-level API path. */
export function apiPathPatterns(paths: readonly string[]): string[] {
  const firstSegments = new Set(paths.map((p) => p.split('/')[1] ?? '').filter((s) => s !== ''));
  return [...firstSegments].sort().map((s) => `/${s}*`);
}

export class DashboardSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: DashboardSiteProps) {
    super(scope, id);

    // CloudFront standard logs are written with ACLs, hence OBJECT_WRITER on this bucket only.
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      // the files are published from the repository on every deploy: nothing here needs keeping, and a bucket must be
      // empty before CloudFormation can delete it
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const apiOrigin = new origins.HttpOrigin(Fn.parseDomainName(props.apiEndpoint), {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      // never cache API answers; with caching off this policy forwards the Authorization header too
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'placement forecast dashboard and API',
      defaultRootObject: 'index.html',
      // Europe and North America edge locations only: the users are in England
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      additionalBehaviors: Object.fromEntries(apiPathPatterns(props.apiPaths).map((p) => [p, apiBehavior])),
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });

    new s3deploy.BucketDeployment(this, 'Publish', {
      sources: [s3deploy.Source.asset(props.webDir)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      logGroup: new logs.LogGroup(this, 'PublishLogs', {
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
  }
}
