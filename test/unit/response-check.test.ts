// The check every integration test's response goes through (infra/local/response-check.ts):
// it must catch an undeclared status, a body outside its schema and a wrong content type.
import { describe, expect, it } from 'vitest';
import { responseMismatches } from '../../infra/local/response-check.ts';
import { acceptInvitation, getPerson, listSites } from '../../schemas/routes.ts';

const problem = JSON.stringify({
  type: 'x',
  title: 't',
  status: 422,
  detail: 'd',
  code: 'invitation_expired',
  instance: 'r',
});

describe('responses against the OpenAPI document', () => {
  it('accepts what the document declares', () => {
    expect(responseMismatches(acceptInvitation, 422, 'application/problem+json', problem)).toEqual([]);
    expect(responseMismatches(listSites, 200, 'application/json', JSON.stringify({ items: [] }))).toEqual([]);
  });

  it('names an undeclared status, an extra property, a missing one and a wrong content type', () => {
    expect(responseMismatches(listSites, 418, 'application/json', '{}')).toEqual([
      expect.stringMatching(/418: status not declared for listSites/),
    ]);
    expect(
      responseMismatches(listSites, 200, 'application/json', JSON.stringify({ items: [], internal: 1 })),
    ).toEqual([expect.stringMatching(/additional properties \(internal\)/)]);
    expect(responseMismatches(getPerson, 200, 'application/json', '{}')[0]).toMatch(
      /must have required property/,
    );
    expect(responseMismatches(listSites, 200, 'text/html', '<p>')).toEqual([
      expect.stringMatching(/content type text\/html not among application\/json/),
    ]);
  });
});
