/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`; cdk.json runs this file). Settings come from CDK context:
 * cdk.json holds the defaults, `-c stage=prod -c dashboardOrigin=https://… [-c existingUserPoolId=…] [-c alarmEmail=…]`
 * overrides them. cdk-nag's AwsSolutions checks run on every synth and fail it on an unsuppressed finding.
 */
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readStackSettings } from '#lib/settings';
import { PlacementForecastStack } from '#lib/stack';

const app = new App();
const settings = readStackSettings((key) => app.node.tryGetContext(key));

new PlacementForecastStack(app, `PlacementForecast-${settings.stage}`, {
  settings,
  description: `Placement sufficiency and cost forecasting (${settings.stage})`,
  // account and region come from the CLI's credentials at deploy time; synth needs neither
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
app.synth();
