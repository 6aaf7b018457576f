/**
 * Builds the stack once per test file without bundling (the template is what is asserted; bundles are checked by
 * `npm run bundle:report`) and collects cdk-nag's findings instead of printing them.
 */
import { App, Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FUNCTION_ID_TAG } from '#lib/constructs/handler-function';
import { StackSettingsSchema, type StackSettings } from '#lib/settings';
import { PlacementForecastStack } from '#lib/stack';

export interface Synthesised {
  stack: PlacementForecastStack;
  template: Template;
  /** unsuppressed cdk-nag errors and warnings: "path: AwsSolutions-XX: message" */
  nagFindings: string[];
}

export const TEST_SETTINGS: StackSettings = StackSettingsSchema.parse({
  stage: 'test',
  dashboardOrigin: 'https://forecast.example.gov.uk',
});

export function synthesise(settings: Partial<StackSettings> = {}, projectRoot?: string): Synthesised {
  // skip esbuild for every stack: template tests must not depend on the handlers' bundles
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new PlacementForecastStack(app, 'Test', {
    settings: { ...TEST_SETTINGS, ...settings },
    projectRoot,
    env: { account: '123456789012', region: 'eu-west-2' },
  });
  Aspects.of(stack).add(new AwsSolutionsChecks());
  const template = Template.fromStack(stack);
  const annotations = Annotations.fromStack(stack);
  const nagMessage = Match.stringLikeRegexp('AwsSolutions-');
  const nagFindings = [...annotations.findError('*', nagMessage), ...annotations.findWarning('*', nagMessage)].map(
    (m) => `${m.id}: ${String(m.entry.data).split('\n')[0]}`,
  );
  return { stack, template, nagFindings };
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export function resources(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(template.findResources(type) as Record<string, CfnResource>);
}

/** Route-table id → logical id of its Lambda function, from the tag every handler function carries. */
export function functionsById(template: Template): Map<string, [string, CfnResource]> {
  const out = new Map<string, [string, CfnResource]>();
  for (const [logicalId, res] of resources(template, 'AWS::Lambda::Function')) {
    const tag = (res.Properties?.Tags as { Key: string; Value: string }[] | undefined)?.find(
      (t) => t.Key === FUNCTION_ID_TAG,
    );
    if (tag) out.set(tag.Value, [logicalId, res]);
  }
  return out;
}

/** The policy statements attached to a role (by the role's logical id). */
export function statementsOfRole(
  template: Template,
  roleLogicalId: string,
): { Action: string | string[]; Resource: unknown; Effect: string }[] {
  return resources(template, 'AWS::IAM::Policy')
    .filter(([, p]) =>
      ((p.Properties?.Roles ?? []) as unknown[]).some(
        (r) => JSON.stringify(r) === JSON.stringify({ Ref: roleLogicalId }),
      ),
    )
    .flatMap(([, p]) => p.Properties?.PolicyDocument.Statement);
}

export function actionsOf(statement: { Action: string | string[] }): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** The resources of a statement, flattened to strings (tokens as their JSON) to look for wildcards. */
export function resourcesOf(statement: { Resource: unknown }): string[] {
  const list = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
  return list.map((r) => (typeof r === 'string' ? r : JSON.stringify(r)));
}
