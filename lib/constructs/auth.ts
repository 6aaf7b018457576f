/**
 * Who may sign in: a Cognito user pool whose groups are the service's roles, or a council's existing pool. API
 * Gateway's JWT authorizer checks the token; the handlers read `cognito:groups` and the tenant (`custom:council` or
 * `custom:region`) from its claims (functions/http/auth.ts, functions/tenancy.ts). An existing pool must carry the
 * same two custom attributes.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '#functions/routes';

export interface AuthProps {
  /** when set, use this pool (its groups must be created by its owner) instead of making one */
  existingUserPoolId?: string;
}

export class Auth extends Construct {
  readonly userPool: cognito.IUserPool;
  readonly client: cognito.UserPoolClient;
  /** true when this stack made the pool (and its groups) */
  readonly ownsUserPool: boolean;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    this.ownsUserPool = props.existingUserPoolId === undefined;

    if (props.existingUserPoolId !== undefined) {
      this.userPool = cognito.UserPool.fromUserPoolId(this, 'UserPool', props.existingUserPoolId);
    } else {
      const pool = new cognito.UserPool(this, 'UserPool', {
        // staff accounts are made by the council's administrator, never by sign-up
        selfSignUpEnabled: false,
        signInAliases: { email: true, username: true },
        signInCaseSensitive: false,
        standardAttributes: { email: { required: true, mutable: true } },
        // the tenant of a user (functions/tenancy.ts): a council code or a region id, set by the administrator and
        // carried in the ID token as custom:council / custom:region (the app client cannot write them)
        customAttributes: {
          council: new cognito.StringAttribute({ minLen: 1, maxLen: 16, mutable: true }),
          region: new cognito.StringAttribute({ minLen: 1, maxLen: 63, mutable: true }),
        },
        passwordPolicy: {
          minLength: 12,
          requireLowercase: true,
          requireUppercase: true,
          requireDigits: true,
          requireSymbols: true,
          tempPasswordValidity: Duration.days(3),
        },
        mfa: cognito.Mfa.REQUIRED,
        mfaSecondFactor: { otp: true, sms: false },
        // Plus tier: blocks sign-ins Cognito judges compromised and passwords known from breaches
        featurePlan: cognito.FeaturePlan.PLUS,
        standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
        accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      for (const role of ROLES) {
        new cognito.CfnUserPoolGroup(this, `Group-${role}`, {
          userPoolId: pool.userPoolId,
          groupName: role,
          description: `placement forecast role: ${role}`,
        });
      }
      this.userPool = pool;
    }

    // A public client (no secret): the dashboard runs in a browser and the guide gets tokens with the AWS CLI.
    this.client = new cognito.UserPoolClient(this, 'Client', {
      userPool: this.userPool,
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      // users may change their email, never their council or region
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
    });
  }
}
