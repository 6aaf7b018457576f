import { describe, expect, it } from 'vitest';
import { readStackSettings } from '#lib/settings';

const from = (ctx: Record<string, unknown>) => readStackSettings((key) => ctx[key]);

describe('stack settings from CDK context', () => {
  it('reads cdk.json-style context and fills the defaults', () => {
    expect(from({ stage: 'prod', dashboardOrigin: 'https://forecast.example.gov.uk', existingUserPoolId: '' })).toEqual(
      {
        stage: 'prod',
        dashboardOrigin: 'https://forecast.example.gov.uk',
        logRetentionDays: 180,
      },
    );
    // `-c logRetentionDays=365` arrives as a string
    expect(
      from({
        stage: 'test',
        dashboardOrigin: 'http://localhost:3000',
        logRetentionDays: '365',
        existingUserPoolId: 'eu-west-2_AbCdEf123',
      }),
    ).toMatchObject({
      logRetentionDays: 365,
      existingUserPoolId: 'eu-west-2_AbCdEf123',
    });
  });

  it('refuses malformed values with a message naming the setting', () => {
    const base = { stage: 'prod', dashboardOrigin: 'https://forecast.example.gov.uk' };
    expect(() => from({ ...base, stage: 'Prod_1' })).toThrow(/stage:/);
    expect(() => from({ ...base, dashboardOrigin: 'https://forecast.example.gov.uk/app/' })).toThrow(
      /dashboardOrigin: an origin only/,
    );
    expect(() => from({ ...base, existingUserPoolId: 'my-pool' })).toThrow(/existingUserPoolId/);
    expect(() => from({ ...base, logRetentionDays: '100' })).toThrow(/logRetentionDays/);
    expect(() => from({ ...base, alarmEmail: 'not-an-address' })).toThrow(/invalid CDK context: alarmEmail:/);
    expect(() => from({ dashboardOrigin: base.dashboardOrigin })).toThrow(/invalid CDK context: stage:/);
  });
});
