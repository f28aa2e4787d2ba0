import { describe, expect, it } from 'vitest';
import { pseudonymizePatientId, requestIdWithoutPatientId } from '../../src/legacy/patient-id.ts';

const ID = '5f8d0d55b54764421b7156c9';

describe('patient ids in request ids', () => {
  it("replaces the id in the back end's ai_agent_<id>_<ms>_<attempt> with a keyed pseudonym", () => {
    const out = requestIdWithoutPatientId(`ai_agent_${ID}_1732528800000_2`, undefined, 'salt');
    expect(out).toBe(`ai_agent_${pseudonymizePatientId(ID, 'salt')}_1732528800000_2`);
    expect(out).not.toContain(ID);
    expect(out).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  });

  it('replaces the X-Patient-ID value wherever it appears, and leaves other ids alone', () => {
    expect(requestIdWithoutPatientId(`job-${ID.toUpperCase()}-1`, ID, 's')).not.toMatch(new RegExp(ID, 'i'));
    expect(requestIdWithoutPatientId('req-privacy-1', ID, 's')).toBe('req-privacy-1');
  });

  it('is stable per salt and differs across salts', () => {
    expect(pseudonymizePatientId(ID, 'a')).toBe(pseudonymizePatientId(ID, 'a'));
    expect(pseudonymizePatientId(ID, 'a')).not.toBe(pseudonymizePatientId(ID, 'b'));
  });
});
