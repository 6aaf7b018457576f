/**
 * Column names as officers' exports write them: spaces or hyphens for underscores (`PLACE PROVIDER`, `HOME POST`,
 * `place-provider`), in any case and padded, match the 903 names. The demo files renamed so give the demo's counts,
 * and HOME_POST under another spelling still marks sibling groups and is never stored.
 */
import { describe, expect, it } from 'vitest';
import { normaliseColumn } from '#models/ingest/ssda903/tables';
import { accepted as ok, demoTables, uploadFiles as upload } from '../fixtures/demo-903.js';

const demo = demoTables();
/** A table with its header line replaced. */
const renamed = (text: string, header: string): string => text.replace(/^[^\n]*/, header);
const asFiles = (tables: Record<string, string>) =>
  Object.fromEntries(Object.entries(tables).map(([t, text]) => [`${t}.csv`, text]));

const original = ok(await upload(asFiles(demo)));

describe('column names with spaces or hyphens', () => {
  it('normalise to the 903 names', () => {
    expect(
      ['PLACE PROVIDER', 'place-provider', ' Home  Post ', 'home_post', 'MC-DOB', 'Reason Place Change'].map(
        normaliseColumn,
      ),
    ).toEqual(['PLACE_PROVIDER', 'PLACE_PROVIDER', 'HOME_POST', 'HOME_POST', 'MC_DOB', 'REASON_PLACE_CHANGE']);
  });

  it('a demo file with its headers so renamed gives exactly the demo counts', async () => {
    const d = ok(
      await upload(
        asFiles({
          header: renamed(demo.header, 'Year,Child,Sex,DOB,Ethnic,UPN,Mother,MC DOB'),
          episodes: renamed(
            demo.episodes,
            'YEAR,CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE PROVIDER,DEC,REC,reason-place-change,HOME POST,PL-POST,URN',
          ),
          uasc: renamed(demo.uasc, ' year , child , sex , dob , duc '),
        }),
      ),
    );
    expect(d.counts).toEqual(original.counts);
    expect(d.stock).toEqual(original.stock);
    expect(d.children).toEqual(original.children);
    expect(d.estimate.parameters).toEqual(original.estimate.parameters);
    expect(d.quality.counts).toEqual(original.quality.counts);
  });

  it('HOME_POST named "HOME POST" (or home-post) still marks sibling groups, and no postcode is kept', async () => {
    // the demo has no home postcodes: give each start of care one, shared by the starts of a day whose ids share a digit
    const postcode = (child: string) => `PE${Number(child) % 3} 9ZQ`;
    const lines = demo.episodes.trimEnd().split('\n');
    const withPost = lines
      .map((l, i) => {
        if (i === 0) return l;
        const c = l.split(',');
        if (c[3] === 'S') c[11] = postcode(c[1] as string);
        return c.join(',');
      })
      .join('\n');
    const base = ok(await upload(asFiles({ ...demo, episodes: withPost })));
    const sizes = base.children.flatMap((c) => c.episodes.map((e) => e.entryGroupSize ?? 0));
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    for (const name of ['HOME POST', 'home-post', 'Home Post']) {
      const d = ok(
        await upload(asFiles({ ...demo, episodes: renamed(withPost, lines[0]!.replace('HOME_POST', name)) })),
      );
      expect(d.children).toEqual(base.children);
      expect(d.estimate.parameters).toEqual(base.estimate.parameters);
      const stored = JSON.stringify(d);
      for (const p of ['PE0 9ZQ', 'PE1 9ZQ', 'PE2 9ZQ', 'PE09ZQ', 'PE19ZQ', 'PE29ZQ']) expect(stored).not.toContain(p);
    }
  });
});
